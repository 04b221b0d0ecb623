package dev.newsrec.nn.ip2;

import ai.djl.ndarray.NDArray;
import dev.newsrec.nn.plm.PlmBlock;

/**
 * The InfoNCE terms of IP2's entity-title contrastive pre-training (Eq. 9-11). For two views
 * a, b [N,D] of the same N news, row i of a and row i of b are the positive pair and every other
 * row of the other view is a negative: nce(a, b) = mean_i -log softmax_j(cos(a_i, b_j) / tau)[i].
 * Each term is symmetric, (nce(a, b) + nce(b, a)) / 2, as NT-Xent counts both (i, j) and (j, i).
 */
public final class ContrastiveLoss {
  private ContrastiveLoss() {}

  /** nce(a, b) with temperature tau: a scalar on a's manager. */
  public static NDArray infoNce(NDArray a, NDArray b, float tau) {
    NDArray an = a.normalize(2, 1, 1e-8);
    NDArray bn = b.normalize(2, 1, 1e-8);
    NDArray logits = PlmBlock.scale(an.matMul(bn.transpose()), 1f / tau);
    long n = a.getShape().get(0);
    NDArray positives = logits.logSoftmax(1).mul(a.getManager().eye((int) n));
    return PlmBlock.scale(positives.sum(), -1f / n);
  }

  /** The symmetric term (nce(a, b) + nce(b, a)) / 2. */
  public static NDArray symmetric(NDArray a, NDArray b, float tau) {
    return PlmBlock.scale(infoNce(a, b, tau).add(infoNce(b, a, tau)), 0.5f);
  }
}
