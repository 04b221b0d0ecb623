package dev.newsrec.nn.rec;

import dev.newsrec.core.config.ConfigProblems;
import dev.newsrec.core.sample.HistoryPolicy;

/**
 * Which clicks a user encoder reads (the {@code model.history} section), the same in training and
 * in scoring.
 *
 * @param max clicked news a user encoder sees (both papers: 50)
 * @param policy recent (default: the most recent max clicks) or oldest (PUNR's authors' code)
 */
public record HistoryOptions(Integer max, String policy) {
  public HistoryOptions {
    if (max == null) max = 50;
    if (policy == null) policy = "recent";
    ConfigProblems p = new ConfigProblems();
    p.atLeast("max", max, 1);
    p.oneOf("policy", policy, "recent", "oldest");
    p.throwIfAny();
  }

  public static HistoryOptions defaults() {
    return new HistoryOptions(null, null);
  }

  public HistoryPolicy historyPolicy() {
    return policy.equals("oldest") ? HistoryPolicy.OLDEST : HistoryPolicy.RECENT;
  }
}
