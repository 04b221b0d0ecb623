package dev.newsrec.core.metrics;

import java.util.Locale;

/**
 * The official MIND metrics of one evaluation: unweighted means over the evaluated impressions,
 * as fractions in [0, 1] (papers print them x100).
 *
 * @param auc mean per-impression AUC
 * @param mrr mean per-impression MRR (all clicked candidates count)
 * @param ndcg5 mean per-impression nDCG@5
 * @param ndcg10 mean per-impression nDCG@10
 * @param impressions impressions that were evaluated, i.e. that entered the four means
 * @param skippedAllNegative impressions skipped because no candidate was clicked
 * @param skippedAllPositive impressions skipped because every candidate was clicked
 */
public record MetricsResult(double auc, double mrr, double ndcg5, double ndcg10, long impressions,
    long skippedAllNegative, long skippedAllPositive) {

  /** Impressions seen in all: evaluated plus skipped. */
  public long total() { return impressions + skippedAllNegative + skippedAllPositive; }

  public long skipped() { return skippedAllNegative + skippedAllPositive; }

  /**
   * One JSON object with 4-decimal fractions, e.g. {@code {"auc":0.6889,"mrr":0.3333,
   * "ndcg5":0.3694,"ndcg10":0.4310,"impressions":73152,"skipped_all_negative":0,
   * "skipped_all_positive":0}}; a mean over no impression is written as null.
   */
  public String toJson() {
    return "{\"auc\":" + fraction(auc) + ",\"mrr\":" + fraction(mrr) + ",\"ndcg5\":"
        + fraction(ndcg5) + ",\"ndcg10\":" + fraction(ndcg10) + ",\"impressions\":" + impressions
        + ",\"skipped_all_negative\":" + skippedAllNegative + ",\"skipped_all_positive\":"
        + skippedAllPositive + "}";
  }

  private static String fraction(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "null";
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT,
        "AUC %.2f MRR %.2f nDCG@5 %.2f nDCG@10 %.2f over %d impressions (skipped %d all-negative, %d all-positive)",
        100 * auc, 100 * mrr, 100 * ndcg5, 100 * ndcg10, impressions, skippedAllNegative,
        skippedAllPositive);
  }
}
