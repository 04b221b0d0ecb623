package dev.newsrec.core.config;

/**
 * The metrics a config expects (x100, as papers print them) and the tolerance (x100) within which
 * a reproduction counts as OK. Null metrics are not checked.
 *
 * @param source where the number comes from, e.g. "PUNR paper, Table 2"
 */
public record ExpectedMetrics(Double auc, Double mrr, Double ndcg5, Double ndcg10, Double tolerance,
    String source) {
  public ExpectedMetrics {
    if (tolerance == null) tolerance = 0.5;
    ConfigProblems p = new ConfigProblems();
    p.between("auc", auc, 0, 100);
    p.between("mrr", mrr, 0, 100);
    p.between("ndcg5", ndcg5, 0, 100);
    p.between("ndcg10", ndcg10, 0, 100);
    p.between("tolerance", tolerance, 0, 100);
    p.throwIfAny();
  }

  /** One metric's verdict (x100). */
  public record Check(String metric, double result, Double expected, double tolerance) {
    /** OK within the tolerance, FAIL outside it, "-" when nothing is expected. */
    public String verdict() {
      if (expected == null) return "-";
      return Math.abs(result - expected) <= tolerance ? "OK" : "FAIL";
    }
  }

  /** The four metrics of m against e (e may be null: nothing expected); empty when m is null. */
  public static java.util.List<Check> checks(ExpectedMetrics e, dev.newsrec.core.metrics.MetricsResult m) {
    if (m == null) return java.util.List.of();
    double tol = e == null ? 0 : e.tolerance();
    return java.util.List.of(
        new Check("AUC", 100 * m.auc(), e == null ? null : e.auc(), tol),
        new Check("MRR", 100 * m.mrr(), e == null ? null : e.mrr(), tol),
        new Check("nDCG@5", 100 * m.ndcg5(), e == null ? null : e.ndcg5(), tol),
        new Check("nDCG@10", 100 * m.ndcg10(), e == null ? null : e.ndcg10(), tol));
  }
}
