package dev.newsrec.nn.infer;

import ai.djl.ndarray.NDManager;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.News;
import dev.newsrec.core.sample.HistoryPolicy;
import dev.newsrec.nn.model.NewsInputs;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.model.NewsTokens;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Request-level scoring of one trained model over one corpus: every front end (dev evaluation,
 * {@code predict}, the server, Spark) scores through {@link Scorer}s handed out here, one per
 * thread. News vectors are computed once per news and cached by corpus index; news unknown at
 * training time can be added from their title ({@link #addNews}).
 */
public final class NewsScoring {
  private final NewsRecModel model;
  private final NewsInputs inputs;
  private final Function<String, int[]> titleTokens;
  private final int maxHistory;
  private final HistoryPolicy policy;
  private final int batch;
  private final NDManager manager;
  private volatile AtomicReferenceArray<float[]> vectors;

  /**
   * @param titleTokens tokenises a title as the model reads it (for news added at run time)
   * @param batch titles or users per forward pass
   */
  public NewsScoring(NewsRecModel model, NewsInputs inputs, Function<String, int[]> titleTokens,
      int maxHistory, HistoryPolicy policy, int batch, NDManager manager) {
    this.model = model;
    this.inputs = inputs;
    this.titleTokens = titleTokens;
    this.maxHistory = maxHistory;
    this.policy = policy;
    this.batch = batch;
    this.manager = manager;
    this.vectors = new AtomicReferenceArray<>(Math.max(16, inputs.size()));
  }

  public NewsInputs inputs() { return inputs; }

  public int dim() { return model.newsEncoder().dim(); }

  public int maxHistory() { return maxHistory; }

  public HistoryPolicy policy() { return policy; }

  int batch() { return batch; }

  NewsRecModel model() { return model; }

  /** A scorer for the calling thread; it owns native memory until closed. */
  public Scorer scorer() {
    return new Scorer(this, manager.newSubManager());
  }

  /** Adds a news (id, title, optional category, subcategory, entities); returns its corpus index. */
  public int addNews(News news) {
    int n = inputs.add(news, titleTokens.apply(news.title()));
    if (n >= vectors.length()) grow(n + 1);
    return n;
  }

  private synchronized void grow(int size) {
    if (size <= vectors.length()) return;
    AtomicReferenceArray<float[]> bigger = new AtomicReferenceArray<>(Math.max(size, 2 * vectors.length()));
    for (int i = 0; i < vectors.length(); i++) bigger.set(i, vectors.get(i));
    vectors = bigger;
  }

  float[] cached(int news) {
    AtomicReferenceArray<float[]> v = vectors;
    return news < v.length() ? v.get(news) : null;
  }

  void store(int news, float[] vector) {
    if (news >= vectors.length()) grow(news + 1);
    vectors.set(news, vector);
  }

  /**
   * Puts a vector computed elsewhere (a {@link NewsVectorFile} of this model) into the cache, so the
   * news is never encoded here.
   */
  public void preload(int news, float[] vector) {
    if (vector.length != dim()) {
      throw new IllegalArgumentException("a vector of " + vector.length + " values for a model of dim " + dim());
    }
    store(news, vector);
  }

  /** Drops every cached vector: the model's weights changed (training evaluates between epochs). */
  public synchronized void invalidate() {
    vectors = new AtomicReferenceArray<>(vectors.length());
  }

  /** Whether the news has a cached vector. */
  public boolean isCached(int news) { return cached(news) != null; }

  /** How many news have a cached vector. */
  public int cachedNews() {
    int k = 0;
    AtomicReferenceArray<float[]> v = vectors;
    for (int i = 0; i < v.length(); i++) if (v.get(i) != null) k++;
    return k;
  }

  /**
   * Scores of a whole split, aligned with imps.flatCandidates(): every news it mentions encoded
   * once, every distinct history once, candidates by dot product. A loop over {@link Scorer}.
   */
  public float[] score(Impressions imps, Consumer<String> log) {
    long t0 = System.nanoTime();
    int dim = dim();
    boolean[] needed = new boolean[inputs.size()];
    for (int c : imps.flatCandidates()) needed[c] = true;
    if (model.userEncoder().readsNewsVectors()) { // PUNR reads the history's tokens, not its vectors
      for (int i = 0; i < imps.size(); i++) for (int h : policy.truncate(imps.history(i), maxHistory)) needed[h] = true;
    }
    int[] news = java.util.stream.IntStream.range(0, needed.length).filter(n -> needed[n]).toArray();
    try (Scorer s = scorer()) {
      s.newsVectors(news);
      long t1 = System.nanoTime();
      // Distinct histories: the impressions of a user whose history did not change share a number.
      int[] userOf = new int[imps.distinctHistories()];
      java.util.Arrays.fill(userOf, -1);
      int[][] histories = new int[imps.distinctHistories()][];
      int users = 0;
      for (int i = 0; i < imps.size(); i++) {
        int k = imps.historyIndex(i);
        if (userOf[k] < 0) {
          userOf[k] = users;
          histories[users++] = imps.history(i);
        }
      }
      float[] userVectors = users(s, histories, users, log);
      float[] out = new float[imps.totalCandidates()];
      for (int i = 0; i < imps.size(); i++) {
        int u = userOf[imps.historyIndex(i)];
        for (int j = 0; j < imps.candidateCount(i); j++) {
          out[imps.offset(i) + j] = Scorer.dot(s.newsVector(imps.candidate(i, j)), userVectors, u * dim, dim);
        }
      }
      log.accept(String.format("scored %d impressions: %d news in %.1f s, %d users in %.1f s",
          imps.size(), news.length, (t1 - t0) / 1e9, users, (System.nanoTime() - t1) / 1e9));
      return out;
    }
  }

  /**
   * Vectors of histories[0, count) in chunks of whole batches (the same batches as in one call),
   * with a progress line every 10 s: a PUNR model encodes a 128-token document per user, and
   * MIND-small's dev users take a quarter of an hour on 2 cores.
   */
  private float[] users(Scorer s, int[][] histories, int count, Consumer<String> log) {
    int dim = dim();
    float[] out = new float[count * dim];
    int chunk = batch * 8;
    long start = System.nanoTime();
    long last = start;
    for (int from = 0; from < count; from += chunk) {
      int n = Math.min(chunk, count - from);
      System.arraycopy(s.users(java.util.Arrays.copyOfRange(histories, from, from + n)), 0, out,
          from * dim, n * dim);
      long now = System.nanoTime();
      if (now - last >= 10_000_000_000L && from + n < count) {
        double rate = (from + n) / ((now - start) / 1e9);
        log.accept(String.format(java.util.Locale.ROOT, "users %d/%d (%.0f/s, eta %.0f s)", from + n,
            count, rate, (count - from - n) / rate));
        last = now;
      }
    }
    return out;
  }

  /** Tokens of a title as the model reads it, for callers that build {@link NewsTokens} themselves. */
  public int[] titleTokens(String title) { return titleTokens.apply(title); }
}
