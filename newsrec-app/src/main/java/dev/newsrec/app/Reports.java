package dev.newsrec.app;

import dev.newsrec.core.run.MetricsLog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.newsrec.core.config.ExpectedMetrics;
import dev.newsrec.core.config.ExperimentConfig;
import dev.newsrec.core.io.AtomicFiles;
import dev.newsrec.core.metrics.MetricsResult;
import dev.newsrec.core.run.RunFolder;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The short markdown report every run folder gets: what ran, the dev metrics, the paper's
 * numbers with OK / FAIL when the config has them, and two plots read back from metrics.jsonl
 * ({@value #LOSS_PNG}: loss per step; {@value #METRICS_PNG}: dev metrics per epoch).
 */
final class Reports {
  static {
    Headless.ensure();
  }

  static final String LOSS_PNG = "loss.png";
  static final String METRICS_PNG = "metrics.png";

  private Reports() {}

  static void write(RunFolder run, ExperimentConfig config, MetricsResult dev) {
    write(run, config, dev, System.err);
  }

  /**
   * Writes report.md and the plots the metrics allow. A plot that cannot be drawn is a note on
   * {@code log} and in the report, never a failed run: the model and metrics are already saved.
   */
  static void write(RunFolder run, ExperimentConfig config, MetricsResult dev, PrintStream log) {
    MetricsLog.Contents m;
    try {
      m = run.metrics().read();
    } catch (java.io.UncheckedIOException ex) {
      log.println("note: report without training curves: " + ex.getMessage());
      m = MetricsLog.Contents.empty();
    }
    StringBuilder md = new StringBuilder();
    md.append("# ").append(config.name()).append("\n\n");
    if (!config.description().isEmpty()) md.append(config.description()).append("\n\n");
    md.append("- model: `").append(config.modelType()).append("`\n");
    md.append("- train: `").append(config.data().train()).append("`\n");
    md.append("- dev: ").append(config.data().dev() == null ? "none" : "`" + config.data().dev() + "`")
        .append("\n");
    md.append("- seed: ").append(config.seed()).append("\n");
    if (!m.steps().isEmpty()) {
      long steps = m.steps().get(m.steps().size() - 1).step();
      md.append(String.format(Locale.ROOT, "- training: %d steps, last smoothed loss %s\n", steps,
          number(m.steps().stream().mapToDouble(MetricsLog.Step::smoothedLoss)
              .filter(Double::isFinite).reduce((a, b) -> b).orElse(Double.NaN))));
    }
    md.append("\n");

    if (dev != null) {
      md.append("## Dev metrics (x100)\n\n| AUC | MRR | nDCG@5 | nDCG@10 | impressions | skipped (all 0 / all 1) |\n")
          .append("|---|---|---|---|---|---|\n")
          .append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %d / %d |\n\n",
              ResultsTable.percent(dev.auc()), ResultsTable.percent(dev.mrr()),
              ResultsTable.percent(dev.ndcg5()), ResultsTable.percent(dev.ndcg10()),
              dev.impressions(), dev.skippedAllNegative(), dev.skippedAllPositive()));
      if (m.finalByHistory() != null) {
        md.append("### By clicks in the user's history\n\n").append(m.finalByHistory().markdown()).append("\n");
      }
    } else {
      md.append("Dev split unlabelled or absent: no metrics; see prediction.txt.\n\n");
    }
    ExpectedMetrics e = config.expected();
    if (e != null) expected(md, e, dev);

    List<String> plots = plots(run, config, m, log, md);
    if (!plots.isEmpty()) {
      md.append("## Plots\n\n");
      for (String p : plots) md.append("![").append(p).append("](").append(p).append(")\n\n");
    }
    AtomicFiles.writeString(run.file(RunFolder.REPORT), md.toString());
  }

  /** The paper's numbers next to this run's, one verdict per metric (the same checks as reproduce). */
  private static void expected(StringBuilder md, ExpectedMetrics e, MetricsResult dev) {
    md.append(String.format(Locale.ROOT, "## Expected (%s), tolerance %.2f\n\n",
        e.source() == null ? "config" : e.source(), e.tolerance()));
    if (dev == null) {
      md.append(String.format(Locale.ROOT, "AUC %s, MRR %s, nDCG@5 %s, nDCG@10 %s; no dev metrics to check.\n\n",
          orDash(e.auc()), orDash(e.mrr()), orDash(e.ndcg5()), orDash(e.ndcg10())));
      return;
    }
    md.append("| metric | this run | expected | difference | verdict |\n|---|---|---|---|---|\n");
    for (ExpectedMetrics.Check c : ExpectedMetrics.checks(e, dev)) {
      md.append(String.format(Locale.ROOT, "| %s | %.2f | %s | %s | %s |\n", c.metric(), c.result(),
          orDash(c.expected()),
          c.expected() == null ? "-" : String.format(Locale.ROOT, "%+.2f", c.result() - c.expected()),
          c.verdict()));
    }
    md.append("\n");
  }

  /** Draws the plots the metrics allow and returns their file names. */
  private static List<String> plots(RunFolder run, ExperimentConfig config, MetricsLog.Contents m,
      PrintStream log, StringBuilder md) {
    List<String> written = new java.util.ArrayList<>();
    try {
      if (m.steps().stream().anyMatch(s -> Double.isFinite(s.loss()))) {
        Plots.loss(m.steps(), run.file(LOSS_PNG));
        written.add(LOSS_PNG);
      }
      if (!m.epochs().isEmpty()) {
        Plots.metrics(m.epochs(), m.finalDev(), finalEpoch(config, m), run.file(METRICS_PNG));
        written.add(METRICS_PNG);
      }
    } catch (RuntimeException | LinkageError | java.awt.AWTError ex) {
      // LinkageError: a JVM without java.desktop; AWTError: -Djava.awt.headless=false, no display.
      String why = "plots not drawn: " + ex;
      log.println("note: " + why);
      md.append("Note: ").append(why).append("\n\n");
    }
    if (m.unreadable() > 0) {
      md.append("Note: ").append(m.unreadable()).append(" unreadable line(s) in metrics.jsonl skipped.\n\n");
    }
    return written;
  }

  /**
   * The epoch the final evaluation belongs to: the configured epoch count (the trainer scores dev
   * after every epoch but the last, whose evaluation is the final one), else one past the last.
   */
  static int finalEpoch(ExperimentConfig config, MetricsLog.Contents m) {
    int last = m.epochs().stream().mapToInt(MetricsLog.Epoch::epoch).max().orElse(0);
    JsonNode epochs = config.model().path("training").path("epochs");
    int configured = epochs.canConvertToInt() ? epochs.asInt() : last + 1;
    return Math.max(last, configured);
  }

  private static String number(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "-";
  }

  private static String orDash(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.2f", v);
  }
}
