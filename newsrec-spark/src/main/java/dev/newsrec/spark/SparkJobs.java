package dev.newsrec.spark;

import dev.newsrec.core.UserException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The command line's entry to Spark: each job starts a context, runs and stops it. No Spark type
 * appears in these signatures, so the commands load without Spark on the class path and can say
 * what is missing instead of failing with a missing class.
 */
public final class SparkJobs {
  private SparkJobs() {}

  /** @throws UserException when Spark's jars are not on the class path */
  public static void requireSpark() {
    try {
      Class.forName("org.apache.spark.SparkContext", false, SparkJobs.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new UserException("Apache Spark is not on the class path: run 'newsrec spark ...' through the "
          + "newsrec launcher (it adds newsrec-spark/target/spark-lib/, built by 'mvn -DskipTests package'), "
          + "or submit the application jar with spark-submit (see the README)");
    }
  }

  /** {@code newsrec spark score}: see {@link SparkScore#score}. master null: spark-submit's, else local[*]. */
  public static SparkScore.Result score(String master, Path run, Path data, Path out, SparkScore.Options options,
      Consumer<String> log) {
    requireSpark();
    try (JavaSparkContext sc = SparkEngine.start(master, "newsrec spark score")) {
      log.accept("spark: " + sc.master() + " (" + sc.defaultParallelism() + " task slots)");
      return SparkScore.score(sc, run, data, out, options, log);
    }
  }

  /** {@code newsrec spark evaluate}: see {@link SparkEvaluate#evaluate}. */
  public static SparkEvaluate.Evaluation evaluate(String master, Path truth, Path prediction, Consumer<String> log) {
    requireSpark();
    try (JavaSparkContext sc = SparkEngine.start(master, "newsrec spark evaluate")) {
      log.accept("spark: " + sc.master() + " (" + sc.defaultParallelism() + " task slots)");
      return SparkEvaluate.evaluate(sc, truth, prediction);
    }
  }
}
