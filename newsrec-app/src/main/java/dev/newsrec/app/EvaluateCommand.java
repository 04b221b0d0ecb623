package dev.newsrec.app;

import dev.newsrec.core.UserException;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.metrics.Metrics;
import dev.newsrec.core.metrics.MetricsResult;
import dev.newsrec.core.metrics.Prediction;
import dev.newsrec.core.metrics.PredictionFile;
import dev.newsrec.core.mind.MindReader;
import dev.newsrec.core.mind.ReadOptions;
import dev.newsrec.core.mind.ReadReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code newsrec evaluate}: the official MIND metrics of a leaderboard file against the truth. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Official MIND metrics of a prediction.txt/.zip against a labelled behaviors.tsv: mean",
      "per-impression AUC, MRR, nDCG@5 and nDCG@10 (x100). Impressions whose candidates are all",
      "clicked or all not clicked have no AUC; they are skipped from every mean and counted."
    })
public final class EvaluateCommand implements Callable<Integer> {
  @Option(names = "--truth", required = true, paramLabel = "BEHAVIORS",
      description = "labelled behaviors.tsv (e.g. MINDlarge_dev/behaviors.tsv)")
  Path truth;

  @Option(names = "--prediction", required = true, paramLabel = "FILE",
      description = "prediction.txt or prediction.zip: one 'ImpressionID [r1,r2,...]' per line")
  Path prediction;

  @Option(names = "--json", description = "print one JSON object with 4-decimal fractions (by_history: the same per history length)")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Evaluation e = evaluateWithBreakdown(truth, prediction);
    print(spec.commandLine().getOut(), prediction, e.all(), e.byHistory(), json);
    return 0;
  }

  /** The metrics as a table with the history breakdown, or one JSON object (also 'newsrec spark evaluate'). */
  static void print(PrintWriter out, Path prediction, MetricsResult r, dev.newsrec.core.metrics.HistoryBreakdown byHistory,
      boolean json) {
    if (json) {
      String all = r.toJson();
      out.println(all.substring(0, all.length() - 1) + ",\"by_history\":" + byHistory.toJson() + "}");
    } else {
      out.print(ResultsTable.renderWithSkipped(List.of(ResultsTable.row(
          String.valueOf(prediction.getFileName()), r))));
      out.println();
      out.println("by clicks in the user's history:");
      out.print(byHistory.table());
    }
    out.flush();
  }

  /**
   * Reads the truth and the prediction (at the same time) and evaluates.
   *
   * @throws UserException when the truth has no labels
   * @throws dev.newsrec.core.data.DataFormatException on a bad line of either file or a prediction
   *     that does not answer the truth's impressions
   */
  public static MetricsResult evaluate(Path truthFile, Path predictionFile) {
    return read(truthFile, predictionFile, false).all();
  }

  /** The metrics and their breakdown by history length. */
  public record Evaluation(MetricsResult all, dev.newsrec.core.metrics.HistoryBreakdown byHistory) {}

  public static Evaluation evaluateWithBreakdown(Path truthFile, Path predictionFile) {
    return read(truthFile, predictionFile, true);
  }

  private static Evaluation read(Path truthFile, Path predictionFile, boolean breakdown) {
    requireFile("truth file", truthFile);
    requireFile("prediction file", predictionFile);
    // ranks checked against the truth's counts: a missing rank reads as a wrong count, its cause
    CompletableFuture<Prediction> pending =
        CompletableFuture.supplyAsync(() -> PredictionFile.readToMatch(predictionFile));
    Impressions truth;
    try {
      truth = MindReader.readBehaviors(truthFile, null, ReadOptions.STRICT, new ReadReport());
    } catch (RuntimeException e) {
      pending.cancel(true);
      throw e;
    }
    if (!truth.labelled()) {
      pending.cancel(true);
      throw new UserException(truthFile + " has no labels (candidates without -0/-1, like the "
          + "MIND-large test split): evaluation needs a labelled behaviors.tsv");
    }
    Prediction p;
    try {
      p = pending.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw e;
    }
    return new Evaluation(Metrics.evaluate(truth, p), breakdown ? Metrics.byHistoryLength(truth, p) : null);
  }

  private static void requireFile(String what, Path file) {
    if (Files.isDirectory(file)) throw new UserException(what + " " + file + " is a directory, not a file");
    if (!Files.exists(file)) throw new UserException(what + " " + file + " does not exist");
  }
}
