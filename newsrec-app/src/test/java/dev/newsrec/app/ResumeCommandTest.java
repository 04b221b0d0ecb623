package dev.newsrec.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsrec.core.run.RunFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code newsrec train --resume}: a run killed with SIGKILL after a checkpoint continues from it
 * and ends with the metrics of a run that was never interrupted; a killed run's folder is never
 * taken for a finished one or silently overwritten.
 */
class ResumeCommandTest {
  @TempDir static Path shared;
  static Path world;

  @TempDir Path tmp;

  @BeforeAll
  static void setUp() {
    world = shared.resolve("tiny");
    var w = CliTestSupport.run("data", "synth", "--out", world.toString(), "--preset", "tiny", "--seed", "1");
    assertThat(w.exitCode()).as(w.err()).isZero();
  }

  static List<String> trainArgs(Path out) {
    return new ArrayList<>(List.of("train", "--config", "../configs/nrms/synth.yaml",
        "--set", "data.train=" + world.resolve("train"), "--set", "data.dev=" + world.resolve("dev"),
        "--set", "model.word_dim=16", "--set", "model.heads=2", "--set", "model.head_dim=8",
        "--set", "model.title_tokens=16", "--set", "model.history.max=10", "--set", "data.max_train_impressions=300",
        "--set", "model.training.batch_size=16", "--set", "model.training.epochs=2",
        "--set", "model.training.checkpoint_every=10", "--out", out.toString()));
  }

  static String finalRow(String out) {
    return out.lines().filter(l -> l.startsWith("nrms-synth-small")).findFirst().orElseThrow();
  }

  @Test
  void aRunKilledAfterACheckpointResumesToTheUninterruptedMetrics() throws Exception {
    Path whole = tmp.resolve("whole");
    var a = CliTestSupport.run(trainArgs(whole).toArray(String[]::new));
    assertThat(a.exitCode()).as(a.err()).isZero();
    assertThat(whole.resolve(RunFolder.CHECKPOINTS)).doesNotExist(); // a finished run keeps none

    // The same run in a child JVM, killed (SIGKILL) as soon as its first checkpoint is complete.
    Path killed = tmp.resolve("killed");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true", "-Xmx2g", Main.class.getName()));
    cmd.addAll(trainArgs(killed));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("child.log").toFile()).start();
    Path checkpoints = killed.resolve(RunFolder.CHECKPOINTS);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (p.isAlive() && System.nanoTime() < deadline && !hasCheckpoint(checkpoints)) Thread.sleep(10);
    assertThat(p.isAlive()).as("the child ended before its first checkpoint: " + Files.readString(tmp.resolve("child.log"))).isTrue();
    p.destroyForcibly().waitFor();
    assertThat(RunFolder.isIncomplete(killed)).isTrue();

    // Neither a new run into it nor predict takes the killed run's folder.
    var again = CliTestSupport.run(trainArgs(killed).toArray(String[]::new));
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err()).contains("newsrec train --resume " + killed);

    var resumed = CliTestSupport.run("train", "--resume", killed.toString());
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(resumed.err()).containsPattern("resumed fine-tuning at step \\d+ of");
    assertThat(finalRow(resumed.out())).isEqualTo(finalRow(a.out()));
    assertThat(Files.readString(killed.resolve(RunFolder.PREDICTION)))
        .isEqualTo(Files.readString(whole.resolve(RunFolder.PREDICTION)));
    assertThat(RunFolder.isIncomplete(killed)).isFalse();

    var twice = CliTestSupport.run("train", "--resume", killed.toString());
    assertThat(twice.exitCode()).isEqualTo(2);
    assertThat(twice.err()).contains("the run has finished; nothing to resume");
  }

  private static boolean hasCheckpoint(Path dir) throws java.io.IOException {
    if (!Files.isDirectory(dir)) return false;
    try (var s = Files.list(dir)) {
      return s.anyMatch(d -> d.getFileName().toString().startsWith("step-") && Files.isRegularFile(d.resolve("trainer.properties")));
    }
  }

  @Test
  void resumeRefusesWhatIsNotAnUnfinishedRun() {
    var none = CliTestSupport.run("train", "--resume", tmp.resolve("nothing").toString());
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("not a run folder");
    var mixed = CliTestSupport.run("train", "--resume", tmp.toString(), "--config", "x.yaml");
    assertThat(mixed.exitCode()).isEqualTo(2);
    assertThat(mixed.err()).contains("--resume takes no --config");
  }
}
