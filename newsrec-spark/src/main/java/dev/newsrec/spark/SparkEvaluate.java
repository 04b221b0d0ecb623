package dev.newsrec.spark;

import dev.newsrec.core.UserException;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.metrics.HistoryBreakdown;
import dev.newsrec.core.metrics.MetricsAccumulator;
import dev.newsrec.core.metrics.MetricsResult;
import dev.newsrec.core.metrics.Prediction;
import dev.newsrec.core.metrics.PredictionFile;
import dev.newsrec.core.mind.MindReader;
import dev.newsrec.core.mind.ReadOptions;
import dev.newsrec.core.mind.ReadReport;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * {@code newsrec spark evaluate}: the official MIND metrics of a leaderboard file against a labelled
 * behaviors.tsv, per impression on the executors (core's {@link MetricsAccumulator}) and summed per
 * history-length group ({@link HistoryBreakdown}), as {@code newsrec evaluate} computes them. The
 * truth is read on Spark with the single-machine reader's strictness; the prediction is read on the
 * driver by {@link PredictionFile} (a zip cannot be split) and joined to the truth by position.
 */
public final class SparkEvaluate {
  private SparkEvaluate() {}

  /** The metrics and their breakdown by clicks in the history, as {@code newsrec evaluate} prints them. */
  public record Evaluation(MetricsResult all, HistoryBreakdown byHistory, long impressions) {}

  /** One prediction line for the join: id and ranks. */
  private record Ranks(String id, int[] ranks) implements Serializable {}

  /** Sums of one group: AUC, MRR, nDCG@5, nDCG@10, then evaluated, skipped all-negative, all-positive. */
  private static final int GROUP = 7;

  public static Evaluation evaluate(JavaSparkContext sc, Path truthFile, Path predictionFile) {
    requireFile("truth file", truthFile);
    requireFile("prediction file", predictionFile);
    SparkMind.BehaviorsRead truth = SparkMind.behaviors(sc, truthFile, null, ReadOptions.STRICT);
    try {
      if (!truth.labelled()) {
        throw new UserException(truthFile + " has no labels (candidates without -0/-1, like the "
            + "MIND-large test split): evaluation needs a labelled behaviors.tsv");
      }
      Prediction p = PredictionFile.readToMatch(predictionFile);
      if (p.size() != truth.count()) mismatch(truthFile, p);
      List<Tuple2<Long, Ranks>> lines = new ArrayList<>(p.size());
      for (int i = 0; i < p.size(); i++) {
        lines.add(new Tuple2<>((long) i, new Ranks(p.impressionId(i),
            Arrays.copyOfRange(p.flatRanks(), p.offset(i), p.offset(i) + p.candidateCount(i)))));
      }
      int partitions = truth.impressions().getNumPartitions();
      JavaPairRDD<Long, Ranks> ranks = sc.parallelizePairs(lines, partitions);
      JavaPairRDD<Long, SparkMind.Impression> byPosition = truth.impressions().zipWithIndex()
          .mapToPair(t -> new Tuple2<>(t._2(), t._1()));
      int groups = HistoryBreakdown.groups();
      // per partition: GROUP sums per history group, then the count of lines that do not match
      List<double[]> parts = byPosition.join(ranks, partitions).mapPartitions(it -> {
        double[] sums = new double[groups * GROUP + 1];
        MetricsAccumulator acc = new MetricsAccumulator();
        while (it.hasNext()) {
          Tuple2<SparkMind.Impression, Ranks> t = it.next()._2();
          SparkMind.Impression imp = t._1();
          int[] r = t._2().ranks();
          if (!imp.id.equals(t._2().id()) || r.length != imp.labels.length || !isPermutation(r)) {
            sums[groups * GROUP]++;
            continue;
          }
          int g = HistoryBreakdown.bucket(imp.historyLength) * GROUP;
          if (acc.addRanks(r, 0, imp.labels, 0, r.length)) {
            sums[g] += acc.lastAuc();
            sums[g + 1] += acc.lastMrr();
            sums[g + 2] += acc.lastNdcg5();
            sums[g + 3] += acc.lastNdcg10();
            sums[g + 4]++;
          } else if (positives(imp.labels) == 0) {
            sums[g + 5]++;
          } else {
            sums[g + 6]++;
          }
        }
        return List.of(sums).iterator();
      }).collect();
      double[] total = new double[groups * GROUP + 1];
      for (double[] s : parts) for (int k = 0; k < total.length; k++) total[k] += s[k];
      if (total[groups * GROUP] > 0) mismatch(truthFile, p);
      double[] all = new double[GROUP];
      List<HistoryBreakdown.Bucket> buckets = new ArrayList<>();
      for (int g = 0; g < groups; g++) {
        double[] s = Arrays.copyOfRange(total, g * GROUP, (g + 1) * GROUP);
        for (int k = 0; k < GROUP; k++) all[k] += s[k];
        buckets.add(new HistoryBreakdown.Bucket(HistoryBreakdown.label(g), result(s)));
      }
      return new Evaluation(result(all), new HistoryBreakdown(List.copyOf(buckets)), p.size());
    } finally {
      truth.release();
    }
  }

  private static MetricsResult result(double[] s) {
    double c = s[4];
    return new MetricsResult(s[0] / c, s[1] / c, s[2] / c, s[3] / c, (long) s[4], (long) s[5], (long) s[6]);
  }

  private static int positives(byte[] labels) {
    int p = 0;
    for (byte y : labels) if (y == 1) p++;
    return p;
  }

  private static boolean isPermutation(int[] r) {
    boolean[] seen = new boolean[r.length];
    for (int x : r) {
      if (x < 1 || x > r.length || seen[x - 1]) return false;
      seen[x - 1] = true;
    }
    return true;
  }

  /**
   * The prediction does not answer the truth: the error {@code newsrec evaluate} gives (first
   * mismatching line, impression id, counts), found by the single-machine check.
   */
  private static void mismatch(Path truthFile, Prediction p) {
    Impressions truth = MindReader.readBehaviors(truthFile, null, ReadOptions.STRICT, new ReadReport());
    p.checkMatches(truth);
    throw new IllegalStateException(p.source() + " does not match " + truthFile);
  }

  private static void requireFile(String what, Path file) {
    if (Files.isDirectory(file)) throw new UserException(what + " " + file + " is a directory, not a file");
    if (!Files.exists(file)) throw new UserException(what + " " + file + " does not exist");
  }
}
