package dev.newsrec.nn.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.newsrec.nn.model.LengthSortedBatches;
import dev.newsrec.nn.model.UserBatch;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * One thread's scorer (see {@link NewsScoring}): encode news (cached), encode users from their
 * histories, score candidates by dot product. No gradients, no dropout. Close it when done: it owns
 * native memory.
 */
public final class Scorer implements AutoCloseable {
  private final NewsScoring scoring;
  private final NDManager manager;

  Scorer(NewsScoring scoring, NDManager manager) {
    this.scoring = scoring;
    this.manager = manager;
  }

  /** The vector of one news (computed now if not cached). */
  public float[] newsVector(int news) {
    float[] v = scoring.cached(news);
    if (v == null) {
      newsVectors(new int[] {news});
      v = scoring.cached(news);
    }
    return v;
  }

  /**
   * Makes sure the given news have vectors: those not cached are encoded in batches of titles
   * sorted by length (little padding), each news once.
   */
  public void newsVectors(int[] news) {
    int[] missing = IntStream.of(news).distinct().filter(n -> scoring.cached(n) == null).toArray();
    float[][] vectors = LengthSortedBatches.vectors(scoring.model().newsEncoder(), scoring.inputs(),
        missing, scoring.batch(), manager);
    for (int i = 0; i < missing.length; i++) scoring.store(missing[i], vectors[i]);
  }

  /** The user vector of one history (corpus indices, oldest first; cut by the model's history policy). */
  public float[] user(int[] history) {
    return users(new int[][] {history});
  }

  /** User vectors of several histories, [histories.length * D] row-major, in batches. */
  public float[] users(int[][] histories) {
    int dim = scoring.dim();
    // An encoder over the history's tokens (PUNR) reads no news vector: none is computed for it.
    boolean vectors = scoring.model().userEncoder().readsNewsVectors();
    int[][] cut = new int[histories.length][];
    for (int u = 0; u < histories.length; u++) {
      cut[u] = scoring.policy().truncate(histories[u], scoring.maxHistory());
      if (vectors) newsVectors(cut[u]);
    }
    float[] out = new float[histories.length * dim];
    int batch = scoring.batch();
    for (int from = 0; from < cut.length; from += batch) {
      int n = Math.min(batch, cut.length - from);
      int longest = 1;
      for (int u = from; u < from + n; u++) longest = Math.max(longest, cut[u].length);
      // Each user batch gets its own small news table: the histories' news, in order.
      float[] vecs = new float[n * longest * dim];
      int[] news = new int[n * longest];
      Arrays.fill(news, -1);
      int[][] pos = new int[n][longest];
      for (int r = 0; r < n; r++) {
        int[] h = cut[from + r];
        Arrays.fill(pos[r], -1);
        for (int l = 0; l < h.length; l++) {
          if (vectors) System.arraycopy(scoring.cached(h[l]), 0, vecs, (r * longest + l) * dim, dim);
          pos[r][l] = r * longest + l;
          news[r * longest + l] = h[l];
        }
      }
      try (NDManager m = manager.newSubManager()) {
        NDArray table = m.create(vecs, new Shape((long) n * longest, dim));
        NDArray v = scoring.model().users(new ParameterStore(m, false),
            new UserBatch(table, pos, news, scoring.inputs()), false);
        System.arraycopy(v.toFloatArray(), 0, out, from * dim, n * dim);
      }
    }
    return out;
  }

  /** Dot-product scores of candidates (corpus indices) for a user vector. */
  public float[] score(float[] user, int[] candidates) {
    float[] out = new float[candidates.length];
    for (int j = 0; j < candidates.length; j++) out[j] = dot(newsVector(candidates[j]), user, 0, user.length);
    return out;
  }

  static float dot(float[] news, float[] users, int offset, int dim) {
    float s = 0;
    for (int k = 0; k < dim; k++) s += news[k] * users[offset + k];
    return s;
  }

  @Override
  public void close() {
    manager.close();
  }
}
