package dev.newsrec.core.metrics;

import dev.newsrec.core.data.Impressions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The official metrics per history length: users with 0, 1-2, 3-5, 6-10, 11-20 and more than 20
 * clicks in the impression's history. User-modelling claims (PUNR, IP2) are about exactly these
 * groups; each bucket's means are over its own evaluated impressions.
 *
 * @param buckets one per group, in order (a group without an impression has 0 impressions and
 *     NaN means)
 */
public record HistoryBreakdown(List<Bucket> buckets) {
  /** Lower bounds of the groups; the last is open. */
  static final int[] FROM = {0, 1, 3, 6, 11, 21};

  /** One group: its label ("0", "1-2", ..., "21+") and its metrics. */
  public record Bucket(String clicks, MetricsResult metrics) {}

  /** The group index of a history of n clicks (public, with label and groups, for the Spark evaluator). */
  public static int bucket(int n) {
    int b = 0;
    while (b + 1 < FROM.length && n >= FROM[b + 1]) b++;
    return b;
  }

  public static String label(int b) {
    if (b == FROM.length - 1) return FROM[b] + "+";
    int to = FROM[b + 1] - 1;
    return to == FROM[b] ? Integer.toString(to) : FROM[b] + "-" + to;
  }

  public static int groups() { return FROM.length; }

  /** The bucket of each impression of truth (its history length). */
  static int[] of(Impressions truth) {
    int[] b = new int[truth.size()];
    for (int i = 0; i < truth.size(); i++) b[i] = bucket(truth.historyLength(i));
    return b;
  }

  static HistoryBreakdown from(MetricsAccumulator[] perBucket) {
    List<Bucket> out = new ArrayList<>();
    for (int b = 0; b < perBucket.length; b++) out.add(new Bucket(label(b), perBucket[b].result()));
    return new HistoryBreakdown(List.copyOf(out));
  }

  /** {@code [{"clicks":"0","auc":...,"impressions":N,...}, ...]}, 4-decimal fractions. */
  public String toJson() {
    StringBuilder sb = new StringBuilder("[");
    for (int b = 0; b < buckets.size(); b++) {
      if (b > 0) sb.append(',');
      String m = buckets.get(b).metrics().toJson();
      sb.append("{\"clicks\":\"").append(buckets.get(b).clicks()).append("\",").append(m, 1, m.length());
    }
    return sb.append(']').toString();
  }

  /** A plain-text table: one line per group, x100. */
  public String table() {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-8s %7s %6s %7s %8s  %s%n",
        "clicks", "AUC", "MRR", "nDCG@5", "nDCG@10", "impressions"));
    for (Bucket b : buckets) {
      MetricsResult m = b.metrics();
      sb.append(String.format(Locale.ROOT, "%-8s %7.2f %6.2f %7.2f %8.2f  %d%n", b.clicks(),
          100 * m.auc(), 100 * m.mrr(), 100 * m.ndcg5(), 100 * m.ndcg10(), m.impressions()));
    }
    return sb.toString();
  }

  /** The same table in markdown, for report.md. */
  public String markdown() {
    StringBuilder sb = new StringBuilder("| clicks in history | AUC | MRR | nDCG@5 | nDCG@10 | impressions |\n|---|---|---|---|---|---|\n");
    for (Bucket b : buckets) {
      MetricsResult m = b.metrics();
      sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %d |%n", b.clicks(),
          100 * m.auc(), 100 * m.mrr(), 100 * m.ndcg5(), 100 * m.ndcg10(), m.impressions()));
    }
    return sb.toString();
  }
}
