package dev.newsrec.nn.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.sample.HistoryPolicy;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.model.NewsTokens;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The evaluation path: every news an impression file mentions is encoded once, every distinct
 * history once, then candidates are scored by dot product. No gradients, no dropout.
 */
public final class NewsRecScorer {
  private final NewsRecModel model;
  private final NewsTokens tokens;
  private final int maxHistory;
  private final HistoryPolicy policy;
  private final int batch;

  public NewsRecScorer(NewsRecModel model, NewsTokens tokens, int maxHistory, HistoryPolicy policy,
      int batch) {
    this.model = model;
    this.tokens = tokens;
    this.maxHistory = maxHistory;
    this.policy = policy;
    this.batch = batch;
  }

  /** Scores aligned with imps.flatCandidates(). */
  public float[] score(Impressions imps, NDManager parent, Consumer<String> log) {
    long t0 = System.nanoTime();
    int dim = model.newsEncoder().dim();
    boolean[] needed = new boolean[tokens.size()];
    for (int c : imps.flatCandidates()) needed[c] = true;
    for (int i = 0; i < imps.size(); i++) for (int h : policy.truncate(imps.history(i), maxHistory)) needed[h] = true;
    int[] news = IntStream.range(0, needed.length).filter(n -> needed[n]).boxed()
        .sorted(Comparator.comparingInt(n -> tokens.ids(n).length)).mapToInt(Integer::intValue).toArray();
    float[] table = new float[tokens.size() * dim];
    for (int from = 0; from < news.length; from += batch) {
      int[] rows = Arrays.copyOfRange(news, from, Math.min(news.length, from + batch));
      NewsTokens.Padded p = tokens.pad(rows);
      try (NDManager m = parent.newSubManager()) {
        NDArray v = model.newsEncoder().encode(new ParameterStore(m, false),
            m.create(p.ids(), new Shape(p.rows(), p.length())),
            m.create(p.mask(), new Shape(p.rows(), p.length())), false);
        float[] flat = v.toFloatArray();
        for (int r = 0; r < rows.length; r++) System.arraycopy(flat, r * dim, table, rows[r] * dim, dim);
      }
    }
    long t1 = System.nanoTime();
    // Distinct histories: the reader shares one array between a user's identical histories.
    Map<int[], Integer> userOf = new IdentityHashMap<>();
    int[][] histories = new int[imps.size()][];
    int users = 0;
    for (int i = 0; i < imps.size(); i++) {
      int[] h = imps.history(i);
      Integer u = userOf.get(h);
      if (u == null) {
        u = users++;
        userOf.put(h, u);
        histories[u] = policy.truncate(h, maxHistory);
      }
    }
    float[] userVectors = new float[users * dim];
    for (int from = 0; from < users; from += batch) {
      int n = Math.min(batch, users - from);
      int longest = 1;
      for (int u = from; u < from + n; u++) longest = Math.max(longest, histories[u].length);
      // Each user batch gets its own small news table: the histories' news, in order.
      float[] vecs = new float[n * longest * dim];
      int[][] pos = new int[n][longest];
      for (int r = 0; r < n; r++) {
        int[] h = histories[from + r];
        Arrays.fill(pos[r], -1);
        for (int l = 0; l < h.length; l++) {
          System.arraycopy(table, h[l] * dim, vecs, (r * longest + l) * dim, dim);
          pos[r][l] = r * longest + l;
        }
      }
      try (NDManager m = parent.newSubManager()) {
        NDArray v = model.users(new ParameterStore(m, false),
            m.create(vecs, new Shape((long) n * longest, dim)), pos, false);
        System.arraycopy(v.toFloatArray(), 0, userVectors, from * dim, n * dim);
      }
    }
    float[] out = new float[imps.totalCandidates()];
    for (int i = 0; i < imps.size(); i++) {
      int u = userOf.get(imps.history(i));
      for (int j = 0; j < imps.candidateCount(i); j++) {
        int c = imps.candidate(i, j);
        float s = 0;
        for (int k = 0; k < dim; k++) s += table[c * dim + k] * userVectors[u * dim + k];
        out[imps.offset(i) + j] = s;
      }
    }
    log.accept(String.format("scored %d impressions: %d news in %.1f s, %d users in %.1f s",
        imps.size(), news.length, (t1 - t0) / 1e9, users, (System.nanoTime() - t1) / 1e9));
    return out;
  }
}
