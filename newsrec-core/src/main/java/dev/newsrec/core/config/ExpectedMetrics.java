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
}
