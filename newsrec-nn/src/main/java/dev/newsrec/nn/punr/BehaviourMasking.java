package dev.newsrec.nn.punr;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * PUNR's user-behaviour masking (Sec. 2.2): a budget of {@code alpha} of a document's title tokens
 * is masked; a share {@code beta} of that budget goes to whole behaviours (titles chosen at random
 * among those that still fit the rest of the share), the remainder to ordinary whole words chosen
 * at random (a word is skipped when it would overflow the budget), as the authors'
 * {@code mask_news_history} and {@code _whole_word_mask}. Each masked token becomes [MASK] with
 * probability 0.8, a random token with 0.1, and stays with 0.1. [CLS] and [SEP] are never masked.
 */
public final class BehaviourMasking {
  static final double MASK = 0.8;
  static final double RANDOM = 0.1;

  private final double alpha;
  private final double beta;
  private final int maskId;
  private final int vocabSize;

  public BehaviourMasking(double alpha, double beta, int maskId, int vocabSize) {
    if (!(alpha >= 0 && alpha <= 1) || !(beta >= 0 && beta <= 1)) {
      throw new IllegalArgumentException("alpha and beta must be in [0, 1]: " + alpha + ", " + beta);
    }
    this.alpha = alpha;
    this.beta = beta;
    this.maskId = maskId;
    this.vocabSize = vocabSize;
  }

  /**
   * A masked document.
   *
   * @param input the ids the encoder reads
   * @param positions masked positions, ascending
   * @param labels the original ids at those positions
   * @param behaviours the behaviours masked whole (indices into the spans)
   * @param behaviourTokens how many tokens were masked as whole behaviours
   * @param budget round(alpha x title tokens), at least 1
   */
  public record Masked(int[] input, int[] positions, int[] labels, int[] behaviours,
      int behaviourTokens, int budget) {}

  /**
   * Masks one document. {@code spanStart/spanEnd} delimit the behaviours' title tokens (as
   * {@link UserDocuments.Document}); {@code wordStart[t]} says token t begins a word (null: every
   * token is a word). Only positions inside the spans are ever masked.
   */
  public Masked mask(int[] ids, int[] spanStart, int[] spanEnd, boolean[] wordStart,
      RandomGenerator random) {
    int tokens = 0;
    for (int k = 0; k < spanStart.length; k++) tokens += spanEnd[k] - spanStart[k];
    boolean[] masked = new boolean[ids.length];
    if (tokens == 0 || alpha == 0) return finish(ids, masked, List.of(), 0, 0, random);
    int budget = Math.max(1, (int) Math.round(tokens * alpha));
    int spanBudget = (int) Math.round(budget * beta);
    int count = 0;
    // Whole behaviours first, while one still fits the rest of the share.
    List<Integer> pool = new ArrayList<>();
    for (int k = 0; k < spanStart.length; k++) if (spanEnd[k] > spanStart[k]) pool.add(k);
    List<Integer> chosen = new ArrayList<>();
    int left = spanBudget;
    while (left > 0) {
      final int l = left;
      pool.removeIf(k -> spanEnd[k] - spanStart[k] > l);
      if (pool.isEmpty()) break;
      int k = pool.remove(random.nextInt(pool.size()));
      chosen.add(k);
      for (int t = spanStart[k]; t < spanEnd[k]; t++) masked[t] = true;
      left -= spanEnd[k] - spanStart[k];
      count += spanEnd[k] - spanStart[k];
    }
    int behaviourTokens = count;
    // Then ordinary whole words, in random order, never across a behaviour's boundary.
    List<int[]> words = new ArrayList<>();
    for (int k = 0; k < spanStart.length; k++) {
      int t = spanStart[k];
      while (t < spanEnd[k]) {
        int e = t + 1;
        while (e < spanEnd[k] && wordStart != null && !wordStart[e]) e++;
        if (!masked[t]) words.add(new int[] {t, e});
        t = e;
      }
    }
    for (int i = words.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int[] w = words.get(i);
      words.set(i, words.get(j));
      words.set(j, w);
    }
    for (int[] w : words) {
      if (count >= budget) break;
      if (count + w[1] - w[0] > budget) continue;
      for (int t = w[0]; t < w[1]; t++) masked[t] = true;
      count += w[1] - w[0];
    }
    return finish(ids, masked, chosen, behaviourTokens, budget, random);
  }

  private Masked finish(int[] ids, boolean[] masked, List<Integer> behaviours, int behaviourTokens,
      int budget, RandomGenerator random) {
    int n = 0;
    for (boolean b : masked) if (b) n++;
    int[] input = ids.clone();
    int[] positions = new int[n];
    int[] labels = new int[n];
    int k = 0;
    for (int t = 0; t < ids.length; t++) {
      if (!masked[t]) continue;
      positions[k] = t;
      labels[k++] = ids[t];
      double r = random.nextDouble();
      if (r < MASK) input[t] = maskId;
      else if (r < MASK + RANDOM) input[t] = random.nextInt(vocabSize);
    }
    return new Masked(input, positions, labels,
        behaviours.stream().mapToInt(Integer::intValue).sorted().toArray(), behaviourTokens, budget);
  }
}
