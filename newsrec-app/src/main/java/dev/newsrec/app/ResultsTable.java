package dev.newsrec.app;

import dev.newsrec.core.metrics.MetricsResult;
import java.util.List;
import java.util.Locale;

/** The results table: one row per model, its name first, then AUC, MRR, nDCG@5, nDCG@10 x100. */
public final class ResultsTable {
  private ResultsTable() {}

  public record Row(String name, MetricsResult metrics) {}

  public static Row row(String name, MetricsResult metrics) { return new Row(name, metrics); }

  public static String render(List<Row> rows) {
    int w = "model".length();
    for (Row r : rows) w = Math.max(w, r.name().length());
    StringBuilder sb = new StringBuilder();
    String fmt = "%-" + w + "s  %6s  %6s  %6s  %7s  %11s%n";
    sb.append(String.format(Locale.ROOT, fmt, "model", "AUC", "MRR", "nDCG@5", "nDCG@10", "impressions"));
    for (Row r : rows) {
      MetricsResult m = r.metrics();
      sb.append(String.format(Locale.ROOT, fmt, r.name(), pct(m.auc()), pct(m.mrr()),
          pct(m.ndcg5()), pct(m.ndcg10()), m.impressions()));
    }
    return sb.toString();
  }

  private static String pct(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", 100 * v) : "-";
  }
}
