package dev.newsrec.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsrec.core.synth.SynthConfig;
import dev.newsrec.core.synth.SyntheticWorld;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PLM command prints what the user needs and nothing else: no SLF4J provider warnings, no native
 * PyTorch deprecation warning (written by the natives to file descriptor 2, so the command runs in
 * its own JVM), no library log lines; {@code --verbose} brings the libraries' lines back.
 */
class QuietOutputTest {
  @TempDir Path tmp;

  record Jvm(int exitCode, String out, String err) {}

  /** Runs {@code newsrec args...} in a fresh JVM on this test's class path. */
  static Jvm newsrec(Path dir, String... args) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx2g", "-Dai.djl.offline=true", "-cp",
        System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile())
        .start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("newsrec finished").isTrue();
    return new Jvm(p.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
  }

  @Test
  void plmTrainingIsQuietUnlessVerbose() throws Exception {
    SyntheticWorld.generate(SynthConfig.preset("tiny").withSeed(2)).write(tmp.resolve("world"), null);
    Path config = tmp.resolve("plmnr.yaml");
    Files.writeString(config, String.join("\n",
        "name: quiet", "seed: 1",
        "data: {train: world/train, dev: world/dev, max_train_impressions: 40}",
        "model: {type: plmnr, plm: minilm, trainable_layers: 0, cache_frozen: true, title_tokens: 16,",
        "  training: {batch_size: 16, epochs: 1}}", ""));

    Jvm quiet = newsrec(tmp, "train", "--config", "plmnr.yaml", "--out", "run-quiet");
    assertThat(quiet.exitCode()).as(quiet.err()).isZero();
    assertThat(quiet.err()).doesNotContain("SLF4J").doesNotContain("deprecated")
        .doesNotContain("Warning").doesNotContain("warn [").doesNotContain("info [")
        .contains("cached frozen PLM outputs");
    assertThat(quiet.out()).contains("quiet");

    Jvm verbose = newsrec(tmp, "train", "--verbose", "--config", "plmnr.yaml", "--out", "run-verbose");
    assertThat(verbose.exitCode()).as(verbose.err()).isZero();
    assertThat(verbose.err()).contains("info [").doesNotContain("SLF4J");
  }
}
