package dev.newsrec.app;

import dev.newsrec.core.UserException;
import dev.newsrec.core.config.ExperimentConfig;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.metrics.MetricsAccumulator;
import dev.newsrec.core.metrics.MetricsResult;
import dev.newsrec.core.metrics.Prediction;
import dev.newsrec.core.metrics.PredictionFile;
import dev.newsrec.core.mind.MindFolder;
import dev.newsrec.core.mind.MindReader;
import dev.newsrec.core.mind.ReadOptions;
import dev.newsrec.core.mind.ReadReport;
import dev.newsrec.core.run.RunFolder;
import dev.newsrec.core.stats.Significance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code newsrec compare RUN_A RUN_B}: mean +- std per metric over seeds, a paired t-test over
 * seeds, and a paired bootstrap over impressions (per-impression metrics averaged over seeds).
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Compare two runs (single or multi-seed): mean +- std, paired t-test over seeds, paired bootstrap over impressions.")
public final class CompareCommand implements Callable<Integer> {
  static final String[] NAMES = {"AUC", "MRR", "nDCG@5", "nDCG@10"};

  @Parameters(index = "0", paramLabel = "RUN_A", description = "Run folder, or a folder of seed-N run folders")
  Path a;

  @Parameters(index = "1", paramLabel = "RUN_B", description = "Run folder to compare with RUN_A")
  Path b;

  @Option(names = "--truth", description = "Labelled behaviors.tsv the runs predicted (default: the dev folder in RUN_A's config)")
  Path truth;

  @Option(names = "--resamples", description = "Bootstrap resamples (default: ${DEFAULT-VALUE})")
  int resamples = 1000;

  @Override
  public Integer call() {
    List<Path> runsA = seedRuns(a);
    List<Path> runsB = seedRuns(b);
    double[][] seedA = seedMetrics(runsA);
    double[][] seedB = seedMetrics(runsB);
    Path truthFile = truth != null ? truth : truthOf(runsA.get(0));
    Impressions t = MindReader.readBehaviors(truthFile, null, ReadOptions.STRICT, new ReadReport());
    double[][] perA = perImpression(runsA, t);
    double[][] perB = perImpression(runsB, t);
    boolean paired = runsA.size() == runsB.size() && runsA.size() >= 2;
    System.out.printf(Locale.ROOT, "A: %s (%d seed%s)%nB: %s (%d seed%s)%ntruth: %s (%d impressions with AUC)%n",
        a, runsA.size(), runsA.size() > 1 ? "s" : "", b, runsB.size(), runsB.size() > 1 ? "s" : "",
        truthFile, perA[0].length);
    System.out.printf("%-8s  %15s  %15s  %7s  %12s  %12s%n", "metric", "A mean +- std",
        "B mean +- std", "B - A", "t-test p", "bootstrap p");
    for (int m = 0; m < 4; m++) {
      Significance.MeanStd sa = Significance.meanStd(seedA[m]);
      Significance.MeanStd sb = Significance.meanStd(seedB[m]);
      String tp = paired ? String.format(Locale.ROOT, "%.4f", Significance.pairedT(seedA[m], seedB[m]).p())
          : "n/a";
      double bp = Significance.pairedBootstrap(perA[m], perB[m], resamples, 1).p();
      System.out.printf(Locale.ROOT, "%-8s  %7.2f +- %4.2f  %7.2f +- %4.2f  %+7.2f  %12s  %12.4f%n",
          NAMES[m], 100 * sa.mean(), 100 * sa.std(), 100 * sb.mean(), 100 * sb.std(),
          100 * (sb.mean() - sa.mean()), tp, bp);
    }
    if (!paired) {
      System.out.println("t-test: needs the same number (>= 2) of seeds on both sides (train --seeds N)");
    }
    return 0;
  }

  /** The run folders of a single or multi-seed run. */
  static List<Path> seedRuns(Path dir) {
    if (Files.isRegularFile(dir.resolve(RunFolder.CONFIG))) return List.of(dir);
    List<Path> out = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        s.filter(p -> Files.isRegularFile(p.resolve(RunFolder.CONFIG))).sorted().forEach(out::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (out.isEmpty()) throw new UserException(dir + ": not a run folder nor a folder of run folders");
    return out;
  }

  /** [metric][seed] from each run's final dev line in metrics.jsonl (never a per-epoch line). */
  static double[][] seedMetrics(List<Path> runs) {
    double[][] out = new double[4][runs.size()];
    for (int s = 0; s < runs.size(); s++) {
      Path run = runs.get(s);
      MetricsResult last = dev.newsrec.core.run.MetricsLog.in(run).read().finalDev();
      if (last == null) {
        // a run folder marked unfinished, or one without a report (made before the marker)
        if (RunFolder.isIncomplete(run) || !Files.isRegularFile(run.resolve(RunFolder.REPORT))) {
          throw new UserException("run " + run + " did not finish (it failed or was killed): it has "
              + "no final metrics; train it again");
        }
        throw new UserException("run " + run + " has no final dev metrics: its dev split was "
            + "absent or unlabelled");
      }
      double[] v = {last.auc(), last.mrr(), last.ndcg5(), last.ndcg10()};
      for (int m = 0; m < 4; m++) out[m][s] = v[m];
    }
    return out;
  }

  static Path truthOf(Path run) {
    ExperimentConfig c = RunFolder.open(run).config().bind("", ExperimentConfig.class);
    if (c.data().dev() == null) throw new UserException(run + ": its config has no dev folder; give --truth");
    Path p = Path.of(c.data().dev()).resolve(MindFolder.BEHAVIORS);
    if (!Files.isRegularFile(p)) throw new UserException(p + ": not found; give --truth");
    return p;
  }

  /** [metric][evaluated impression], averaged over the runs' predictions. */
  static double[][] perImpression(List<Path> runs, Impressions truth) {
    int evaluated = -1;
    double[][] sum = null;
    for (Path run : runs) {
      Prediction p = PredictionFile.readToMatch(run.resolve(RunFolder.PREDICTION));
      p.checkMatches(truth);
      MetricsAccumulator acc = new MetricsAccumulator();
      List<double[]> rows = new ArrayList<>();
      for (int i = 0; i < truth.size(); i++) {
        if (acc.addRanks(p.flatRanks(), p.offset(i), truth.flatLabels(), truth.offset(i),
            truth.candidateCount(i))) {
          rows.add(new double[] {acc.lastAuc(), acc.lastMrr(), acc.lastNdcg5(), acc.lastNdcg10()});
        }
      }
      if (sum == null) {
        evaluated = rows.size();
        sum = new double[4][evaluated];
      }
      for (int k = 0; k < evaluated; k++) for (int m = 0; m < 4; m++) sum[m][k] += rows.get(k)[m];
    }
    for (double[] r : sum) for (int k = 0; k < r.length; k++) r[k] /= runs.size();
    return sum;
  }
}
