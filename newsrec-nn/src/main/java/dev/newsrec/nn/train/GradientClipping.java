package dev.newsrec.nn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.List;

/** Gradient clipping by global L2 norm, as {@code torch.nn.utils.clip_grad_norm_}. */
public final class GradientClipping {
  private GradientClipping() {}

  /**
   * Scales all gradients in place by {@code maxNorm / (total + 1e-6)} when that factor is below
   * 1, where total is the L2 norm of all their elements together. A non-finite norm leaves the
   * gradients as they are (the caller decides what to do with the step).
   *
   * @return the global norm before clipping
   */
  public static double clipByGlobalNorm(List<NDArray> gradients, double maxNorm) {
    if (!(maxNorm > 0)) throw new IllegalArgumentException("maxNorm must be > 0: " + maxNorm);
    double sumSquares = 0;
    for (NDArray g : gradients) {
      // per-tensor L2 norms (one read pass each), then the norm of the norms, as PyTorch does
      try (NDArray n = g.norm(); NDArray d = n.toType(DataType.FLOAT64, true)) {
        double v = d.getDouble();
        sumSquares += v * v;
      }
    }
    double total = Math.sqrt(sumSquares);
    if (Double.isFinite(total) && Double.isFinite(maxNorm)) {
      double coef = maxNorm / (total + 1e-6);
      if (coef < 1.0) {
        for (NDArray g : gradients) g.muli(coef);
      }
    }
    return total;
  }
}
