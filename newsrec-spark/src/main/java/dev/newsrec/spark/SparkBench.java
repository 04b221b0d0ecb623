package dev.newsrec.spark;

import dev.newsrec.core.UserException;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.core.io.AtomicFiles;
import dev.newsrec.core.metrics.Prediction;
import dev.newsrec.core.mind.MindFolder;
import dev.newsrec.core.mind.MindReader;
import dev.newsrec.core.mind.ReadOptions;
import dev.newsrec.core.mind.ReadReport;
import dev.newsrec.core.model.Recommender;
import dev.newsrec.core.run.RunFolder;
import dev.newsrec.nn.Engines;
import dev.newsrec.nn.runtime.Experiment;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code newsrec bench spark}: the same run and split scored by the single-process path of
 * {@code newsrec predict} (all cores, PyTorch's intra-op threads) and by Spark on each given
 * {@code local[N]} (N tasks, one PyTorch thread each), all in this JVM, one after the other.
 * Both encode only the news the impressions name; reading is timed apart from scoring.
 */
public final class SparkBench {
  private SparkBench() {}

  public record Options(Path run, Path data, long maxImpressions, List<String> masters) {}

  /** One measured setting. */
  record Row(String mode, int cores, long impressions, int news, double readSeconds, double scoreSeconds) {
    double rate() { return impressions / Math.max(scoreSeconds, 1e-9); }
  }

  public static int run(Options o, PrintStream out) {
    SparkJobs.requireSpark();
    for (String m : o.masters()) {
      if (!m.matches("local\\[\\d+]")) throw new UserException("--masters: local[N] settings, found '" + m + "'");
    }
    RunFolder.open(o.run());
    MindFolder folder = MindFolder.of(o.data());
    List<Row> rows = new ArrayList<>();
    int defaultThreads = Engines.threads();

    // 1. what newsrec predict does, in this process
    out.printf(Locale.ROOT, "predict (single process, %d PyTorch threads): loading %s ...%n", defaultThreads, o.run());
    Recommender model = Experiment.loadModel(RunFolder.open(o.run()));
    long t0 = System.nanoTime();
    NewsCorpus corpus = MindFolder.corpus(List.of(folder), ReadOptions.STRICT, new ArrayList<>());
    Impressions imps = MindReader.readBehaviors(folder.behaviors(), corpus, ReadOptions.STRICT, new ReadReport());
    if (o.maxImpressions() > 0 && o.maxImpressions() < imps.size()) imps = imps.head((int) o.maxImpressions());
    long t1 = System.nanoTime();
    float[] raw = model.score(imps);
    Prediction.fromScores(imps, raw);
    long t2 = System.nanoTime();
    // the news NewsScoring.score encodes: candidates, and histories as the model cuts them
    boolean[] named = new boolean[corpus.size()];
    for (int c : imps.flatCandidates()) named[c] = true;
    if (model instanceof dev.newsrec.nn.rec.NeuralRecommender n && n.model().userEncoder().readsNewsVectors()) {
      var scoring = n.scoring(corpus);
      for (int i = 0; i < imps.size(); i++) {
        for (int h : scoring.policy().truncate(imps.history(i), scoring.maxHistory())) named[h] = true;
      }
    }
    int news = 0;
    for (boolean b : named) if (b) news++;
    rows.add(new Row("predict", Runtime.getRuntime().availableProcessors(), imps.size(), news, (t1 - t0) / 1e9,
        (t2 - t1) / 1e9));
    out.println(line(rows.get(0), rows.get(0)));
    model = null;

    // 2. Spark on each local[N]
    Path tmp;
    try {
      tmp = Files.createTempDirectory("newsrec-bench-spark");
    } catch (IOException e) {
      throw AtomicFiles.cannotWrite(Path.of(System.getProperty("java.io.tmpdir")), e);
    }
    try {
      for (String master : o.masters()) {
        out.printf(Locale.ROOT, "spark %s: starting ...%n", master);
        SparkScore.Result r;
        try (JavaSparkContext sc = SparkEngine.start(master, "newsrec bench spark")) {
          r = SparkScore.score(sc, o.run(), o.data(), tmp.resolve(master.replaceAll("\\W", "")),
              new SparkScore.Options(false, false, o.maxImpressions()), s -> out.println("  " + s));
        } finally {
          Engines.setThreads(defaultThreads);
        }
        Row row = new Row("spark " + master, Integer.parseInt(master.replaceAll("\\D", "")), r.impressions(),
            r.encoded(), r.readSeconds(), r.newsSeconds() + r.scoreSeconds());
        rows.add(row);
        out.println(line(row, rows.get(0)));
        if (r.nearTies() > 0) {
          out.printf(Locale.ROOT, "  %d candidate pairs in %d impressions score within %.0e of each other%n",
              r.nearTies(), r.nearTieImpressions(), SparkScore.NEAR_TIE);
        }
      }
    } finally {
      try {
        AtomicFiles.deleteRecursively(tmp);
      } catch (IOException e) {
        out.println("note: could not delete " + tmp + ": " + e.getMessage());
      }
    }

    out.println();
    out.printf(Locale.ROOT, "%-16s %5s %11s %7s %8s %9s %14s %10s%n", "mode", "cores", "impressions", "news",
        "read s", "score s", "impressions/s", "vs predict");
    for (Row r : rows) out.println(line(r, rows.get(0)));
    Row one = null;
    Row two = null;
    for (Row r : rows) {
      if (r.mode().equals("spark local[1]")) one = r;
      if (r.mode().equals("spark local[2]")) two = r;
    }
    if (one != null && two != null) {
      out.printf(Locale.ROOT, "speed-up local[1] -> local[2]: %.2fx%n", two.rate() / one.rate());
    }
    out.println("score s: news vectors + user vectors + dot products (Spark: its two jobs, with task"
        + " scheduling and the vector broadcast); read s: news.tsv and behaviors.tsv, not counted in impressions/s");
    return 0;
  }

  private static String line(Row r, Row base) {
    return String.format(Locale.ROOT, "%-16s %5d %11d %7d %8.1f %9.1f %14.1f %9.2fx", r.mode(), r.cores(),
        r.impressions(), r.news(), r.readSeconds(), r.scoreSeconds(), r.rate(), r.rate() / base.rate());
  }
}
