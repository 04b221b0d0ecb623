package dev.newsrec.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.newsrec.core.io.AtomicFiles;
import dev.newsrec.core.mind.MindReader;
import dev.newsrec.core.mind.ReadOptions;
import dev.newsrec.core.mind.ReadReport;
import dev.newsrec.core.metrics.Metrics;
import dev.newsrec.core.metrics.MetricsResult;
import dev.newsrec.core.metrics.PredictionFile;
import dev.newsrec.core.metrics.PredictionWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * Benchmark of {@code newsrec evaluate} against the Python reference
 * ({@code newsrec-bench/scripts/mind_metrics_reference.py}: numpy + sklearn, computed as the official MIND script
 * does) on the same MIND-large-dev-sized random files, in the same run. Prints one line holding
 * {@code ratio} (Python seconds / Java seconds, higher = newsrec better) after checking that both
 * give the same four metrics to 1e-4.
 */
public final class EvaluationBench {
  /** Impressions in MIND-large dev. */
  public static final int MIND_LARGE_DEV = 376_471;
  static final String SCRIPT = "newsrec-bench/scripts/mind_metrics_reference.py";
  static final String PYTHON = "/usr/bin/python3";
  private static final double TOLERANCE = 1e-4;

  private EvaluationBench() {}

  /**
   * {@code EvaluationBench [WORKDIR [IMPRESSIONS [SEED]]]}: a hidden entry for manual runs; it times
   * {@link #readAndEvaluate} (newsrec bench data times {@code newsrec evaluate}'s own routine).
   */
  public static void main(String[] args) {
    Path dir = Path.of(args.length > 0 ? args[0] : "runs/bench-evaluate");
    int n = args.length > 1 ? Integer.parseInt(args[1]) : MIND_LARGE_DEV;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;
    run(dir, n, seed, System.out, EvaluationBench::readAndEvaluate);
  }

  /** Reads the truth, then the prediction, and evaluates: the core routines, one after the other. */
  static MetricsResult readAndEvaluate(Path truth, Path prediction) {
    return Metrics.evaluate(
        MindReader.readBehaviors(truth, null, ReadOptions.STRICT, new ReadReport()),
        PredictionFile.readToMatch(prediction));
  }

  /**
   * Writes {@code behaviors.tsv} and {@code prediction.txt} with the given number of impressions
   * into workDir, times the Java evaluation (reading both files and computing: {@code evaluate}
   * of the truth and prediction files, {@code newsrec evaluate}'s routine), runs the Python
   * reference on the same files, checks agreement and prints the ratio line.
   *
   * @throws IllegalStateException when Java and Python disagree
   */
  public static void run(Path workDir, int impressions, long seed, PrintStream out,
      BiFunction<Path, Path, MetricsResult> evaluate) {
    Path truth = workDir.resolve("behaviors.tsv");
    Path prediction = workDir.resolve("prediction.txt");
    long g0 = System.nanoTime();
    Stats stats = generate(truth, prediction, impressions, seed);
    out.printf(Locale.ROOT, "generated %d impressions, %d candidates (mean %.1f, max %d), "
            + "%.1f clicks per impression, in %.1f s: %s%n", impressions, stats.candidates,
        stats.candidates / (double) impressions, stats.maxCandidates,
        stats.clicks / (double) impressions, seconds(g0), workDir);

    long t0 = System.nanoTime();
    MetricsResult java = evaluate.apply(truth, prediction);
    double javaSeconds = seconds(t0);
    long t1 = System.nanoTime();
    evaluate.apply(truth, prediction);
    double warmSeconds = seconds(t1);
    out.printf(Locale.ROOT, "java:   %s%n", java);
    out.printf(Locale.ROOT, "java:   %.2f s first run (read both files + compute), %.2f s second "
        + "run%n", javaSeconds, warmSeconds);

    Path script = findScript();
    if (script == null) {
      out.println("python reference skipped: " + SCRIPT + " not found (run from the repository "
          + "root)");
      return;
    }
    if (!pythonHasLibraries()) {
      out.println("python reference skipped: " + PYTHON + " lacks numpy/scikit-learn; install "
          + "them with: apt-get update && apt-get install -y python3-numpy python3-sklearn");
      return;
    }
    JsonNode py = runPython(script, truth, prediction, workDir);
    double pySeconds = py.get("seconds").asDouble();
    out.printf(Locale.ROOT, "python: AUC %.2f MRR %.2f nDCG@5 %.2f nDCG@10 %.2f over %d "
            + "impressions (skipped %d all-negative, %d all-positive)%n",
        100 * py.get("auc").asDouble(), 100 * py.get("mrr").asDouble(),
        100 * py.get("ndcg5").asDouble(), 100 * py.get("ndcg10").asDouble(),
        py.get("impressions").asLong(), py.get("skipped_all_negative").asLong(),
        py.get("skipped_all_positive").asLong());
    checkAgreement(java, py);
    out.printf(Locale.ROOT, "java and python agree to %.0e on AUC, MRR, nDCG@5, nDCG@10 and the "
        + "skipped counts%n", TOLERANCE);
    out.printf(Locale.ROOT, "evaluate %d impressions: %.2f s vs python reference %.1f s: ratio "
        + "%.1f%n", impressions, javaSeconds, pySeconds, pySeconds / javaSeconds);
  }

  private static double seconds(long start) { return (System.nanoTime() - start) / 1e9; }

  record Stats(long candidates, int maxCandidates, long clicks) {}

  /**
   * Random truth shaped like MIND-large dev: candidate counts log-normal (mean about 37, long tail
   * cut at 300, at least 2), 1 + geometric clicks (about 1.5 on average, none in 2% of
   * impressions), empty histories. The prediction's scores are label + noise, so AUC is about 0.67.
   */
  static Stats generate(Path truth, Path prediction, int impressions, long seed) {
    Random rnd = new Random(seed);
    int[] sizes = new int[impressions];
    long total = 0;
    int max = 0;
    for (int i = 0; i < impressions; i++) {
      double n = Math.exp(3.25 + 0.85 * rnd.nextGaussian());
      sizes[i] = (int) Math.max(2, Math.min(300, Math.round(n)));
      total += sizes[i];
      max = Math.max(max, sizes[i]);
    }
    byte[][] labels = new byte[impressions][];
    long clicks = 0;
    for (int i = 0; i < impressions; i++) {
      int n = sizes[i];
      byte[] y = new byte[n];
      int k = 0;
      if (rnd.nextDouble() >= 0.02) {
        k = 1;
        while (k < n && rnd.nextDouble() < 0.35) k++;
      }
      for (int c = 0; c < k; ) {
        int j = rnd.nextInt(n);
        if (y[j] == 0) {
          y[j] = 1;
          c++;
        }
      }
      clicks += k;
      labels[i] = y;
    }
    AtomicFiles.writeText(truth, w -> writeTruth(w, labels, rnd));
    try (PredictionWriter pw = PredictionWriter.open(prediction)) {
      double[] scores = new double[300];
      for (int i = 0; i < impressions; i++) {
        byte[] y = labels[i];
        for (int j = 0; j < y.length; j++) scores[j] = 0.6 * y[j] + rnd.nextGaussian();
        pw.add(Integer.toString(i + 1), scores, 0, y.length);
      }
      pw.commit();
    }
    return new Stats(total, max, clicks);
  }

  private static void writeTruth(Writer w, byte[][] labels, Random rnd) throws IOException {
    StringBuilder sb = new StringBuilder(4096);
    for (int i = 0; i < labels.length; i++) {
      sb.setLength(0);
      int second = i % 86_400;
      int hour = second / 3600;
      sb.append(i + 1).append("\tU").append(1 + rnd.nextInt(1_000_000)).append("\t11/15/2019 ")
          .append(hour % 12 == 0 ? 12 : hour % 12).append(':')
          .append(two(second / 60 % 60)).append(':').append(two(second % 60))
          .append(hour < 12 ? " AM" : " PM").append("\t\t");
      byte[] y = labels[i];
      // Distinct candidates: a news twice in one impression is a defect the reader rejects.
      java.util.Set<Integer> shown = new java.util.HashSet<>();
      for (int j = 0; j < y.length; j++) {
        if (j > 0) sb.append(' ');
        int news;
        do news = 1 + rnd.nextInt(72_000); while (!shown.add(news));
        sb.append('N').append(news).append('-').append(y[j]);
      }
      sb.append('\n');
      w.append(sb);
    }
  }

  private static String two(int v) { return v < 10 ? "0" + v : Integer.toString(v); }

  /** The reference script: under the working folder, or above this class's jar or folder. */
  static Path findScript() {
    List<Path> roots = new ArrayList<>();
    roots.add(Path.of("").toAbsolutePath());
    try {
      Path code = Path.of(EvaluationBench.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
      for (Path p = code; p != null; p = p.getParent()) roots.add(p);
    } catch (URISyntaxException | RuntimeException e) {
      // no code source: the working folder alone
    }
    for (Path root : roots) {
      Path s = root.resolve(SCRIPT);
      if (Files.isRegularFile(s)) return s;
    }
    return null;
  }

  static boolean pythonHasLibraries() {
    if (!Files.isExecutable(Path.of(PYTHON))) return false;
    try {
      Process p = new ProcessBuilder(PYTHON, "-c", "import numpy, sklearn")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static JsonNode runPython(Path script, Path truth, Path prediction, Path workDir) {
    Path log = workDir.resolve("python-reference.log");
    try {
      Process p = new ProcessBuilder(PYTHON, script.toString(), truth.toString(),
          prediction.toString()).redirectError(log.toFile()).start();
      byte[] stdout = p.getInputStream().readAllBytes();
      int code = p.waitFor();
      String text = new String(stdout, StandardCharsets.UTF_8).trim();
      if (code != 0) {
        throw new IllegalStateException("python reference failed (exit " + code + "): "
            + Files.readString(log).trim());
      }
      return new ObjectMapper().readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + PYTHON + " " + script + ": " + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running the python reference", e);
    }
  }

  static void checkAgreement(MetricsResult java, JsonNode py) {
    StringBuilder bad = new StringBuilder();
    compare(bad, "AUC", java.auc(), py.get("auc").asDouble());
    compare(bad, "MRR", java.mrr(), py.get("mrr").asDouble());
    compare(bad, "nDCG@5", java.ndcg5(), py.get("ndcg5").asDouble());
    compare(bad, "nDCG@10", java.ndcg10(), py.get("ndcg10").asDouble());
    if (java.impressions() != py.get("impressions").asLong()
        || java.skippedAllNegative() != py.get("skipped_all_negative").asLong()
        || java.skippedAllPositive() != py.get("skipped_all_positive").asLong()) {
      bad.append(" counts: java ").append(java.impressions()).append('/')
          .append(java.skippedAllNegative()).append('/').append(java.skippedAllPositive())
          .append(" python ").append(py.get("impressions")).append('/')
          .append(py.get("skipped_all_negative")).append('/')
          .append(py.get("skipped_all_positive"));
    }
    if (bad.length() > 0) {
      throw new IllegalStateException("java and the python reference disagree:" + bad);
    }
  }

  private static void compare(StringBuilder bad, String name, double java, double python) {
    if (!(Math.abs(java - python) <= TOLERANCE)) {
      bad.append(' ').append(name).append(": java ").append(java).append(" python ")
          .append(python);
    }
  }
}
