package dev.newsrec.app;

import dev.newsrec.core.config.ExperimentConfig;
import dev.newsrec.core.io.AtomicFiles;
import dev.newsrec.core.metrics.MetricsResult;
import dev.newsrec.core.run.RunFolder;
import java.util.Locale;

/** The short markdown report every run folder gets. */
final class Reports {
  private Reports() {}

  static void write(RunFolder run, ExperimentConfig config, MetricsResult dev) {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(config.name()).append("\n\n");
    if (!config.description().isEmpty()) md.append(config.description()).append("\n\n");
    md.append("- model: `").append(config.modelType()).append("`\n");
    md.append("- train: `").append(config.data().train()).append("`\n");
    md.append("- dev: `").append(config.data().dev()).append("`\n");
    md.append("- seed: ").append(config.seed()).append("\n\n");
    if (dev != null) {
      md.append("## Dev metrics (x100)\n\n| AUC | MRR | nDCG@5 | nDCG@10 | impressions | skipped |\n")
          .append("|---|---|---|---|---|---|\n")
          .append(String.format(Locale.ROOT, "| %.2f | %.2f | %.2f | %.2f | %d | %d |%n",
              100 * dev.auc(), 100 * dev.mrr(), 100 * dev.ndcg5(), 100 * dev.ndcg10(),
              dev.impressions(), dev.skipped()));
      if (config.expected() != null) {
        var e = config.expected();
        md.append(String.format(Locale.ROOT, "%nExpected (%s): AUC %s MRR %s nDCG@5 %s nDCG@10 %s, tolerance %.2f%n",
            e.source() == null ? "config" : e.source(), e.auc(), e.mrr(), e.ndcg5(), e.ndcg10(),
            e.tolerance()));
      }
    } else {
      md.append("Dev split unlabelled or absent: no metrics; see prediction.txt.\n");
    }
    AtomicFiles.writeString(run.file(RunFolder.REPORT), md.toString());
  }
}
