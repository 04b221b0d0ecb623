package dev.newsrec.core.metrics;

import dev.newsrec.core.UserException;
import dev.newsrec.core.data.Impressions;
import java.util.stream.IntStream;

/**
 * Evaluates whole files: the official MIND metrics of scores or of a prediction against labelled
 * impressions. Work is split into fixed chunks of impressions evaluated in parallel and merged in
 * chunk order, so the result does not depend on the number of threads. See {@link
 * MetricsAccumulator} for the definitions, the tie order and the skipping rule.
 */
public final class Metrics {
  /** Impressions per parallel chunk. */
  static final int CHUNK = 8192;

  private Metrics() {}

  /** Metrics of flat scores aligned with truth's candidates ({@link Impressions#offset}). */
  public static MetricsResult evaluate(Impressions truth, double[] flatScores) {
    checkLength(truth, flatScores.length);
    byte[] labels = truth.flatLabels();
    return run(truth, (acc, i) -> acc.add(flatScores, truth.offset(i), labels, truth.offset(i),
        truth.candidateCount(i)));
  }

  /** As {@link #evaluate(Impressions, double[])} for float scores. */
  public static MetricsResult evaluate(Impressions truth, float[] flatScores) {
    checkLength(truth, flatScores.length);
    byte[] labels = truth.flatLabels();
    return run(truth, (acc, i) -> acc.add(flatScores, truth.offset(i), labels, truth.offset(i),
        truth.candidateCount(i)));
  }

  /**
   * Metrics of a leaderboard prediction: the same as the scores {@code -rank}.
   *
   * @throws dev.newsrec.core.data.DataFormatException when the prediction's impression ids or
   *     candidate counts differ from truth's (naming the prediction's file, line and impression id)
   */
  public static MetricsResult evaluate(Impressions truth, Prediction prediction) {
    requireLabelled(truth);
    prediction.checkMatches(truth);
    byte[] labels = truth.flatLabels();
    int[] ranks = prediction.flatRanks();
    return run(truth, (acc, i) -> acc.addRanks(ranks, prediction.offset(i), labels,
        truth.offset(i), truth.candidateCount(i)));
  }

  /** The metrics of a prediction per history length (see {@link HistoryBreakdown}). */
  public static HistoryBreakdown byHistoryLength(Impressions truth, Prediction prediction) {
    requireLabelled(truth);
    prediction.checkMatches(truth);
    byte[] labels = truth.flatLabels();
    int[] ranks = prediction.flatRanks();
    int[] bucket = HistoryBreakdown.of(truth);
    int n = truth.size();
    int chunks = (n + CHUNK - 1) / CHUNK;
    int groups = HistoryBreakdown.groups();
    MetricsAccumulator[][] parts = new MetricsAccumulator[chunks][groups];
    IntStream range = IntStream.range(0, chunks);
    (chunks > 1 ? range.parallel() : range).forEach(c -> {
      for (int g = 0; g < groups; g++) parts[c][g] = new MetricsAccumulator();
      int end = Math.min(n, (c + 1) * CHUNK);
      for (int i = c * CHUNK; i < end; i++) {
        parts[c][bucket[i]].addRanks(ranks, prediction.offset(i), labels, truth.offset(i), truth.candidateCount(i));
      }
    });
    MetricsAccumulator[] total = new MetricsAccumulator[groups];
    for (int g = 0; g < groups; g++) {
      total[g] = new MetricsAccumulator();
      for (MetricsAccumulator[] part : parts) total[g].merge(part[g]);
    }
    return HistoryBreakdown.from(total);
  }

  /** @throws UserException when some candidate of truth has no label (e.g. MIND-large test) */
  public static void requireLabelled(Impressions truth) {
    if (!truth.labelled()) {
      throw new UserException("the truth has unlabelled candidates (like the MIND-large test "
          + "split): metrics need a labelled behaviors.tsv");
    }
  }

  private interface Step {
    void add(MetricsAccumulator acc, int impression);
  }

  private static MetricsResult run(Impressions truth, Step step) {
    requireLabelled(truth);
    int n = truth.size();
    int chunks = (n + CHUNK - 1) / CHUNK;
    MetricsAccumulator[] parts = new MetricsAccumulator[chunks];
    IntStream range = IntStream.range(0, chunks);
    (chunks > 1 ? range.parallel() : range).forEach(c -> {
      MetricsAccumulator acc = new MetricsAccumulator();
      int end = Math.min(n, (c + 1) * CHUNK);
      for (int i = c * CHUNK; i < end; i++) step.add(acc, i);
      parts[c] = acc;
    });
    MetricsAccumulator total = new MetricsAccumulator();
    for (MetricsAccumulator part : parts) total.merge(part);
    return total.result();
  }

  private static void checkLength(Impressions truth, int length) {
    if (length != truth.totalCandidates()) {
      throw new IllegalArgumentException(length + " scores for " + truth.totalCandidates()
          + " candidates");
    }
  }
}
