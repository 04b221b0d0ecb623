package dev.newsrec.app;

import dev.newsrec.core.UserException;
import dev.newsrec.spark.SparkEvaluate;
import dev.newsrec.spark.SparkJobs;
import dev.newsrec.spark.SparkScore;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code newsrec spark score|evaluate}: batch scoring and evaluation on Apache Spark, in-process on
 * {@code local[*]} from the launcher (which puts Spark's jars on the class path for these commands)
 * or on a cluster through spark-submit.
 */
@Command(name = "spark", mixinStandardHelpOptions = true,
    description = "Batch scoring and evaluation on Apache Spark (in-process local[*], or a cluster via spark-submit).",
    subcommands = {SparkCommand.Score.class, SparkCommand.Evaluate.class})
public final class SparkCommand {
  static final String MASTER_HELP = "Spark master, e.g. local[2] (default: spark-submit's, else local[*])";

  @Command(name = "score", mixinStandardHelpOptions = true,
      description = {"Rank the candidates of a MIND-format split with a trained neural run on Spark: writes",
          "OUT/prediction.txt and OUT/prediction.zip (input order) and OUT/news-vectors.bin (the format",
          "'newsrec predict --vectors' writes and 'newsrec serve --vectors' reads)."})
  public static final class Score implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "Run folder made by 'newsrec train' (a neural model)")
    Path run;

    @Option(names = "--data", required = true, description = "Split folder with news.tsv and behaviors.tsv (labels optional)")
    Path data;

    @Option(names = "--out", required = true, description = "Output folder (created)")
    Path out;

    @Option(names = "--master", description = MASTER_HELP)
    String master;

    @Option(names = "--lenient", description = "Skip and count bad lines instead of stopping")
    boolean lenient;

    @Option(names = "--no-vectors", description = "Do not write news-vectors.bin; encode only the news the impressions need")
    boolean noVectors;

    @Option(names = "--max-impressions", description = "Score only the first N impressions (0: all; default: ${DEFAULT-VALUE})")
    long maxImpressions = 0;

    @Override
    public Integer call() {
      if (maxImpressions < 0) throw new UserException("--max-impressions: 0 or more, found " + maxImpressions);
      SparkScore.Result r = SparkJobs.score(master, run, data, out,
          new SparkScore.Options(lenient, !noVectors, maxImpressions), System.err::println);
      System.err.printf(Locale.ROOT, "wrote %s and %s (%d impressions)%s%n", out.resolve(SparkScore.PREDICTION),
          out.resolve(SparkScore.PREDICTION_ZIP), r.impressions(),
          noVectors ? "" : " and " + out.resolve(SparkScore.VECTORS) + " (" + r.news() + " news vectors)");
      System.err.printf(Locale.ROOT, "near ties: %d candidate pairs in %d impressions score within %.0e of each "
          + "other; there the ranks may differ from 'newsrec predict' (batching changes the last bits)%n",
          r.nearTies(), r.nearTieImpressions(), SparkScore.NEAR_TIE);
      System.err.printf(Locale.ROOT, "took %.1f s (read %.1f s, news vectors %.1f s, users and scores %.1f s)%n",
          r.totalSeconds(), r.readSeconds(), r.newsSeconds(), r.scoreSeconds());
      return 0;
    }
  }

  @Command(name = "evaluate", mixinStandardHelpOptions = true,
      description = {"Official MIND metrics of a prediction.txt/.zip against a labelled behaviors.tsv, computed",
          "per impression on Spark: the numbers, skip counts and history breakdown of 'newsrec evaluate'."})
  public static final class Evaluate implements Callable<Integer> {
    @Option(names = "--truth", required = true, paramLabel = "BEHAVIORS", description = "labelled behaviors.tsv")
    Path truth;

    @Option(names = "--prediction", required = true, paramLabel = "FILE",
        description = "prediction.txt or prediction.zip: one 'ImpressionID [r1,r2,...]' per line")
    Path prediction;

    @Option(names = "--master", description = MASTER_HELP)
    String master;

    @Option(names = "--json", description = "print one JSON object, as 'newsrec evaluate --json'")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      SparkEvaluate.Evaluation e = SparkJobs.evaluate(master, truth, prediction, System.err::println);
      EvaluateCommand.print(spec.commandLine().getOut(), prediction, e.all(), e.byHistory(), json);
      return 0;
    }
  }
}
