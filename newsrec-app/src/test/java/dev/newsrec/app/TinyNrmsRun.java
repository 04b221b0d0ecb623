package dev.newsrec.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/** A tiny synthetic world and an NRMS trained on it in seconds, for the serving tests. */
final class TinyNrmsRun {
  private TinyNrmsRun() {}

  /** Writes dir/tiny (the world) and trains dir/run on it; returns the run folder. */
  static Path train(Path dir) {
    Path world = world(dir);
    var w = CliTestSupport.run("data", "synth", "--out", world.toString(), "--preset", "tiny", "--seed", "1");
    assertThat(w.exitCode()).as(w.err()).isZero();
    Path run = dir.resolve("run");
    var t = CliTestSupport.run("train", "--config", "../configs/nrms/synth.yaml",
        "--set", "data.train=" + world.resolve("train"), "--set", "data.dev=" + world.resolve("dev"),
        "--set", "model.word_dim=16", "--set", "model.heads=2", "--set", "model.head_dim=8",
        "--set", "model.title_tokens=16", "--set", "model.history.max=6", "--set", "data.max_train_impressions=600",
        "--set", "model.training.batch_size=16", "--set", "model.training.epochs=2",
        "--set", "model.training.learning_rate=1.0e-2", "--out", run.toString());
    assertThat(t.exitCode()).as(t.err()).isZero();
    return run;
  }

  static Path world(Path dir) {
    return dir.resolve("tiny");
  }
}
