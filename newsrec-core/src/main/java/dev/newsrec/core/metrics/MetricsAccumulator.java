package dev.newsrec.core.metrics;

import java.util.Arrays;

/**
 * Adds up the official MIND metrics impression by impression: AUC, MRR, nDCG@5 and nDCG@10.
 *
 * <p>Per impression (scores p, labels y in {0, 1}):
 * <ul>
 *   <li>AUC: the probability that a random clicked candidate scores above a random non-clicked one,
 *       ties counting 1/2 (the Mann-Whitney statistic, equal to sklearn's {@code roc_auc_score}).
 *       Computed by one sort and a walk over groups of equal scores, O(n log n).
 *   <li>MRR: {@code sum_i y_i / rank_i / sum_i y_i} over all clicked candidates, rank 1 = highest
 *       score.
 *   <li>nDCG@k: {@code DCG = sum_{i<=k} (2^y_(i) - 1) / log2(i + 1)} over the score order, divided
 *       by the same sum over the ideal order (all clicked candidates first).
 * </ul>
 *
 * <p><b>Ties.</b> From scores, AUC counts a tie between a clicked and a non-clicked candidate as
 * 1/2 and does not depend on how equal scores are ordered. MRR and nDCG do: this class orders
 * equal scores by candidate position, the earlier candidate first (a stable sort of {@code -p}),
 * which is also how {@link Prediction} turns scores into ranks. Ranks never tie, so with tied scores
 * the AUC of the written ranks differs from the AUC of the scores (MRR and nDCG agree). A run
 * reports the metrics of the ranks it writes ({@code Metrics.evaluate(truth,
 * Prediction.fromScores(truth, scores))}), the leaderboard's numbers for its prediction.txt. The
 * official script orders by numpy's {@code argsort}, whose tie order is unspecified (its default
 * introsort is not stable); for leaderboard files, which never tie, every convention agrees.
 *
 * <p><b>Skipping.</b> An impression whose labels are all 0 or all 1 has no AUC; as in official
 * practice it is left out of all four means and counted separately ({@link
 * MetricsResult#skippedAllNegative()}, {@link MetricsResult#skippedAllPositive()}). An impression
 * without candidates counts as all-negative.
 *
 * <p>Not thread safe (it keeps a sort workspace): give each thread its own accumulator and {@link
 * #merge} them. Merging in a fixed order gives a result independent of the number of threads.
 */
public final class MetricsAccumulator {
  /** DISCOUNT[i] = 1 / log2(i + 1) for rank i = 1..10. */
  private static final double[] DISCOUNT = new double[11];
  /** IDEAL_k[p] = ideal DCG@k with p clicked candidates. */
  private static final double[] IDEAL5 = new double[11];
  private static final double[] IDEAL10 = new double[11];

  static {
    for (int i = 1; i <= 10; i++) DISCOUNT[i] = 1.0 / (Math.log(i + 1) / Math.log(2));
    for (int p = 1; p <= 10; p++) {
      IDEAL5[p] = IDEAL5[p - 1] + (p <= 5 ? DISCOUNT[p] : 0);
      IDEAL10[p] = IDEAL10[p - 1] + DISCOUNT[p];
    }
  }

  private double sumAuc;
  private double sumMrr;
  private double sumNdcg5;
  private double sumNdcg10;
  private long count;
  private long skippedAllNegative;
  private long skippedAllPositive;

  private double lastAuc = Double.NaN;
  private double lastMrr = Double.NaN;
  private double lastNdcg5 = Double.NaN;
  private double lastNdcg10 = Double.NaN;

  private final ScoreOrder sorter = new ScoreOrder();

  /**
   * Adds one impression: candidate j has score scores[scoreFrom + j] and label
   * labels[labelFrom + j], j in [0, n). Returns false when the impression was skipped (all labels 0
   * or all 1).
   *
   * @throws IllegalArgumentException for a label other than 0/1 or a NaN score
   */
  public boolean add(double[] scores, int scoreFrom, byte[] labels, int labelFrom, int n) {
    int positives = countPositives(labels, labelFrom, n);
    sorter.load(scores, scoreFrom, n);
    return addSorted(labels, labelFrom, n, positives);
  }

  /** As {@link #add(double[], int, byte[], int, int)} for float scores. */
  public boolean add(float[] scores, int scoreFrom, byte[] labels, int labelFrom, int n) {
    int positives = countPositives(labels, labelFrom, n);
    sorter.load(scores, scoreFrom, n);
    return addSorted(labels, labelFrom, n, positives);
  }

  /** Adds one impression whose whole arrays are its scores and labels. */
  public boolean add(double[] scores, byte[] labels) {
    if (scores.length != labels.length) {
      throw new IllegalArgumentException(scores.length + " scores but " + labels.length + " labels");
    }
    return add(scores, 0, labels, 0, scores.length);
  }

  /**
   * Adds one impression given as 1-based ranks (1 = best), a permutation of 1..n, as in
   * prediction.txt; the same as adding the scores {@code -rank}, but O(n).
   *
   * @throws IllegalArgumentException when the ranks are not a permutation of 1..n
   */
  public boolean addRanks(int[] ranks, int rankFrom, byte[] labels, int labelFrom, int n) {
    int positives = countPositives(labels, labelFrom, n);
    sorter.ensure(n);
    int[] candidateAt = sorter.order;
    Arrays.fill(candidateAt, 0, n, -1);
    for (int j = 0; j < n; j++) {
      int r = ranks[rankFrom + j];
      if (r < 1 || r > n) {
        throw new IllegalArgumentException("rank " + r + " of candidate " + (j + 1)
            + " is outside 1.." + n);
      }
      if (candidateAt[r - 1] >= 0) {
        throw new IllegalArgumentException("rank " + r + " is given twice (candidates "
            + (candidateAt[r - 1] + 1) + " and " + (j + 1) + ")");
      }
      candidateAt[r - 1] = j;
    }
    if (skip(n, positives)) return false;
    long negatives = n - positives;
    long negativesAbove = 0;
    long twiceWins = 0;
    double reciprocalRanks = 0;
    double dcg5 = 0;
    double dcg10 = 0;
    for (int k = 0; k < n; k++) {
      if (labels[labelFrom + candidateAt[k]] == 1) {
        int rank = k + 1;
        twiceWins += 2 * (negatives - negativesAbove);
        reciprocalRanks += 1.0 / rank;
        if (rank <= 10) {
          dcg10 += DISCOUNT[rank];
          if (rank <= 5) dcg5 += DISCOUNT[rank];
        }
      } else {
        negativesAbove++;
      }
    }
    finish(positives, negatives, twiceWins, reciprocalRanks, dcg5, dcg10);
    return true;
  }

  /** Adds everything another accumulator has seen; returns this. */
  public MetricsAccumulator merge(MetricsAccumulator other) {
    sumAuc += other.sumAuc;
    sumMrr += other.sumMrr;
    sumNdcg5 += other.sumNdcg5;
    sumNdcg10 += other.sumNdcg10;
    count += other.count;
    skippedAllNegative += other.skippedAllNegative;
    skippedAllPositive += other.skippedAllPositive;
    return this;
  }

  /** The means so far; NaN means when no impression was evaluated. */
  public MetricsResult result() {
    double c = count;
    return new MetricsResult(sumAuc / c, sumMrr / c, sumNdcg5 / c, sumNdcg10 / c, count,
        skippedAllNegative, skippedAllPositive);
  }

  /** Impressions evaluated so far (not counting skipped ones). */
  public long count() { return count; }

  /** AUC of the last impression added, NaN when it was skipped (for per-impression tests). */
  public double lastAuc() { return lastAuc; }

  public double lastMrr() { return lastMrr; }

  public double lastNdcg5() { return lastNdcg5; }

  public double lastNdcg10() { return lastNdcg10; }

  private static int countPositives(byte[] labels, int from, int n) {
    int positives = 0;
    for (int j = 0; j < n; j++) {
      int y = labels[from + j];
      if (y == 1) {
        positives++;
      } else if (y != 0) {
        throw new IllegalArgumentException("label of candidate " + (j + 1) + " is " + y
            + ", expected 0 or 1" + (y == -1 ? " (unlabelled impression)" : ""));
      }
    }
    return positives;
  }

  private boolean skip(int n, int positives) {
    if (positives == 0) {
      skippedAllNegative++;
    } else if (positives == n) {
      skippedAllPositive++;
    } else {
      return false;
    }
    lastAuc = lastMrr = lastNdcg5 = lastNdcg10 = Double.NaN;
    return true;
  }

  private boolean addSorted(byte[] labels, int labelFrom, int n, int positives) {
    if (skip(n, positives)) return false;
    sorter.sort(n);
    int[] order = sorter.order;
    double[] key = sorter.key;
    long negatives = n - positives;
    long negativesAbove = 0;
    long twiceWins = 0;
    double reciprocalRanks = 0;
    double dcg5 = 0;
    double dcg10 = 0;
    int g = 0;
    while (g < n) {
      double v = key[order[g]];
      int e = g;
      long p = 0;
      long q = 0;
      do {
        if (labels[labelFrom + order[e]] == 1) {
          p++;
          int rank = e + 1;
          reciprocalRanks += 1.0 / rank;
          if (rank <= 10) {
            dcg10 += DISCOUNT[rank];
            if (rank <= 5) dcg5 += DISCOUNT[rank];
          }
        } else {
          q++;
        }
        e++;
      } while (e < n && key[order[e]] == v);
      // clicked ones of this tie group beat every non-clicked one below it, and half the tied ones
      twiceWins += 2 * p * (negatives - negativesAbove - q) + p * q;
      negativesAbove += q;
      g = e;
    }
    finish(positives, negatives, twiceWins, reciprocalRanks, dcg5, dcg10);
    return true;
  }

  private void finish(long positives, long negatives, long twiceWins, double reciprocalRanks,
      double dcg5, double dcg10) {
    int idealCount = (int) Math.min(positives, 10);
    lastAuc = twiceWins / (2.0 * positives * negatives);
    lastMrr = reciprocalRanks / positives;
    lastNdcg5 = dcg5 / IDEAL5[idealCount];
    lastNdcg10 = dcg10 / IDEAL10[idealCount];
    sumAuc += lastAuc;
    sumMrr += lastMrr;
    sumNdcg5 += lastNdcg5;
    sumNdcg10 += lastNdcg10;
    count++;
  }
}
