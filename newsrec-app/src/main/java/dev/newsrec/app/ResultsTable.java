package dev.newsrec.app;

import dev.newsrec.core.metrics.MetricsResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results table: one row per model, its name first, then AUC, MRR, nDCG@5 and nDCG@10 x100 with
 * 2 decimals (as papers print them), then the number of evaluated impressions. Columns are as wide
 * as their widest cell; names are left aligned, numbers right aligned.
 */
public final class ResultsTable {
  private ResultsTable() {}

  /** One model's line. */
  public record Row(String name, MetricsResult metrics) {}

  public static Row row(String name, MetricsResult metrics) { return new Row(name, metrics); }

  /** A row from the four fractions alone (e.g. a paper's numbers); counts print as "-". */
  public static Row row(String name, double auc, double mrr, double ndcg5, double ndcg10) {
    return new Row(name, new MetricsResult(auc, mrr, ndcg5, ndcg10, -1, -1, -1));
  }

  /** Name, AUC, MRR, nDCG@5, nDCG@10, impressions. */
  public static String render(List<Row> rows) { return render(rows, false); }

  /** As {@link #render(List)} plus the skipped single-class impressions (all 0, all 1). */
  public static String renderWithSkipped(List<Row> rows) { return render(rows, true); }

  /** A fraction x100 with 2 decimals ("68.89"), "-" when undefined. */
  public static String percent(double fraction) {
    return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.2f", 100 * fraction) : "-";
  }

  private static String render(List<Row> rows, boolean skipped) {
    List<String[]> cells = new ArrayList<>();
    cells.add(skipped
        ? new String[] {"model", "AUC", "MRR", "nDCG@5", "nDCG@10", "impressions",
            "skipped(all 0)", "skipped(all 1)"}
        : new String[] {"model", "AUC", "MRR", "nDCG@5", "nDCG@10", "impressions"});
    for (Row r : rows) {
      MetricsResult m = r.metrics();
      String[] c = {r.name(), percent(m.auc()), percent(m.mrr()), percent(m.ndcg5()),
          percent(m.ndcg10()), count(m.impressions()), count(m.skippedAllNegative()),
          count(m.skippedAllPositive())};
      cells.add(skipped ? c : java.util.Arrays.copyOf(c, 6));
    }
    int columns = cells.get(0).length;
    int[] width = new int[columns];
    for (String[] c : cells) {
      for (int k = 0; k < columns; k++) width[k] = Math.max(width[k], c[k].length());
    }
    StringBuilder sb = new StringBuilder();
    for (String[] c : cells) {
      for (int k = 0; k < columns; k++) {
        if (k > 0) sb.append("  ");
        String pad = " ".repeat(width[k] - c[k].length());
        if (k == 0) {
          sb.append(c[k]);
          if (columns > 1) sb.append(pad);
        } else {
          sb.append(pad).append(c[k]);
        }
      }
      sb.append(System.lineSeparator());
    }
    return sb.toString();
  }

  private static String count(long n) { return n < 0 ? "-" : Long.toString(n); }
}
