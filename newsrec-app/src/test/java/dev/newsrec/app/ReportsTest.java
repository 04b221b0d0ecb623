package dev.newsrec.app;

import dev.newsrec.core.run.MetricsLog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsrec.core.config.ConfigTree;
import dev.newsrec.core.config.ExperimentConfig;
import dev.newsrec.core.metrics.MetricsResult;
import dev.newsrec.core.run.RunFolder;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report.md and its plots, from hand-made metrics.jsonl files. */
class ReportsTest {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @TempDir Path tmp;

  static ExperimentConfig config(String extra) {
    return ConfigTree.parse("name: hand-made\nseed: 7\ndata: {train: data/t, dev: data/d}\n"
        + "model: {type: plmnr, training: {epochs: 3}}\n" + extra, "test").bind("", ExperimentConfig.class);
  }

  /** A trainer's metrics.jsonl: 30 loss lines, dev after epochs 1 and 2, then the final line. */
  static String handMadeMetrics(MetricsResult dev) {
    StringBuilder jsonl = new StringBuilder();
    for (int step = 10; step <= 300; step += 10) {
      double loss = 1.6 * Math.exp(-step / 150.0) + 0.05 * Math.sin(step);
      jsonl.append(String.format(java.util.Locale.ROOT,
          "{\"step\":%d,\"loss\":%.4f,\"smoothed_loss\":%.4f,\"grad_norm\":1.2,\"lr\":{\"plm\":1e-5,\"default\":1e-4},\"steps_per_s\":3.1}%n",
          step, loss, 1.6 * Math.exp(-step / 150.0)));
      if (step == 100 || step == 200) {
        int epoch = step / 100;
        jsonl.append("{\"step\":").append(step).append(",\"split\":\"dev\",\"stage\":\"epoch\",\"epoch\":")
            .append(epoch).append(",\"metrics\":{\"auc\":").append(0.58 + 0.01 * epoch)
            .append(",\"mrr\":0.28,\"ndcg5\":0.30,\"ndcg10\":0.37,\"impressions\":90,"
                + "\"skipped_all_negative\":1,\"skipped_all_positive\":0}}\n");
      }
    }
    jsonl.append("{\"step\":310,\"loss\":null,\"smoothed_loss\":null}\n"); // a diverged step
    jsonl.append("not json, e.g. a line cut short by a crash\n");
    jsonl.append("{\"split\":\"dev\",\"stage\":\"final\",\"metrics\":").append(dev.toJson()).append("}\n");
    return jsonl.toString();
  }

  static final MetricsResult DEV = new MetricsResult(0.6123, 0.2950, 0.3110, 0.3820, 90, 1, 0);

  @Test
  void neuralRunGetsBothPlotsAndAReportThatShowsThemAndTheVerdicts() throws Exception {
    RunFolder run = RunFolder.create(tmp.resolve("run"), "hand-made");
    MetricsResult dev = DEV;
    Files.writeString(run.file(RunFolder.METRICS), handMadeMetrics(dev));

    Reports.write(run, config("expected: {auc: 61.0, mrr: 35.0, tolerance: 0.5, source: 'made up, Table 0'}"),
        dev, quiet());

    assertThat(GraphicsEnvironment.isHeadless()).isTrue();
    assertValidPng(run.file(Reports.LOSS_PNG));
    assertValidPng(run.file(Reports.METRICS_PNG));
    String md = Files.readString(run.file(RunFolder.REPORT));
    assertThat(md).contains("# hand-made").contains("`plmnr`").contains("seed: 7")
        .contains("training: 310 steps, last smoothed loss 0.2165")
        .contains("| 61.23 | 29.50 | 31.10 | 38.20 | 90 | 1 / 0 |")
        .contains("Expected (made up, Table 0), tolerance 0.50")
        .contains("| AUC | 61.23 | 61.00 | +0.23 | OK |")
        .contains("| MRR | 29.50 | 35.00 | -5.50 | FAIL |")
        .contains("| nDCG@5 | 31.10 | - | - | - |")
        .contains("![loss.png](loss.png)").contains("![metrics.png](metrics.png)")
        .contains("1 unreadable line(s)")
        .doesNotContain("plots not drawn");
  }

  @Test
  void theFinalEvaluationIsTheConfiguredLastEpoch() {
    MetricsLog.Contents m = new MetricsLog.Contents(java.util.List.of(), java.util.List.of(
        new MetricsLog.Epoch(1, 10, null), new MetricsLog.Epoch(2, 20, null)), java.util.List.of(), null, 0);
    assertThat(Reports.finalEpoch(config(""), m)).isEqualTo(3);
    ExperimentConfig noEpochs = ConfigTree.parse("name: x\ndata: {train: t}\nmodel: {type: nrms}\n", "test")
        .bind("", ExperimentConfig.class);
    assertThat(Reports.finalEpoch(noEpochs, m)).isEqualTo(3);
  }

  @Test
  void baselineRunWithoutStepLinesGetsNoPlotsAndNoError() throws Exception {
    Path run = tmp.resolve("baseline");
    var r = CliTestSupport.run("train", "--config", TrainPredictTest.CONFIG.toString(),
        "--set", "data.train=" + TrainPredictTest.FIXTURE.resolve("train"),
        "--set", "data.dev=" + TrainPredictTest.FIXTURE.resolve("dev"), "--out", run.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).doesNotContain("plots not drawn");
    assertThat(run.resolve(Reports.LOSS_PNG)).doesNotExist();
    assertThat(run.resolve(Reports.METRICS_PNG)).doesNotExist();
    String md = Files.readString(run.resolve(RunFolder.REPORT));
    assertThat(md).contains("| 75.00 |").doesNotContain(".png").doesNotContain("Note:");
  }

  @Test
  void missingMetricsFileIsAReportWithoutPlots() throws Exception {
    RunFolder run = RunFolder.create(tmp.resolve("empty"), "hand-made");
    Reports.write(run, config(""), null, quiet());
    run.finish();
    assertThat(Files.readString(run.file(RunFolder.REPORT))).contains("no metrics").doesNotContain(".png");
    try (var files = Files.list(run.dir())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(RunFolder.REPORT);
    }
  }

  /**
   * A fresh JVM with no headless flag and a DISPLAY naming no X server: drawing would fail to
   * connect unless the report sets java.awt.headless itself, as a server or CI machine needs.
   */
  @Test
  void plotsAreDrawnWithoutADisplayInAFreshJvm() throws Exception {
    Path run = tmp.resolve("child-run");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        Child.class.getName(), run.toString()).redirectErrorStream(true);
    pb.environment().put("DISPLAY", ":12345");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out).contains("headless true");
    assertValidPng(run.resolve(Reports.LOSS_PNG));
    assertValidPng(run.resolve(Reports.METRICS_PNG));
  }

  /** The child JVM of {@link #plotsAreDrawnWithoutADisplayInAFreshJvm}. */
  public static final class Child {
    public static void main(String[] args) {
      RunFolder run = RunFolder.create(Path.of(args[0]), "child");
      dev.newsrec.core.io.AtomicFiles.writeString(run.file(RunFolder.METRICS), handMadeMetrics(DEV));
      Reports.write(run, config(""), DEV, System.out);
      System.out.println("headless " + GraphicsEnvironment.isHeadless());
    }
  }

  static void assertValidPng(Path png) throws Exception {
    assertThat(png).exists();
    byte[] bytes = Files.readAllBytes(png);
    assertThat(Arrays.copyOf(bytes, 8)).isEqualTo(PNG_SIGNATURE);
    assertThat(bytes.length).as("a plot, not a blank image").isGreaterThan(10_000);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(Plots.WIDTH);
    assertThat(image.getHeight()).isEqualTo(Plots.HEIGHT);
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }
}
