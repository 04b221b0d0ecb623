package dev.newsrec.spark;

import dev.newsrec.core.config.ConfigTree;
import dev.newsrec.core.synth.SynthConfig;
import dev.newsrec.core.synth.SyntheticWorld;
import dev.newsrec.nn.runtime.Experiment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tiny NRMS trained once per JVM on the tiny synthetic world (as newsrec-serve's tests train
 * theirs), long enough that its scores spread: a model scoring everything alike would hide mistakes.
 */
final class TinyRun {
  private static Path run;
  private static Path world;

  private TinyRun() {}

  static synchronized Path run() throws Exception {
    if (run != null) return run;
    Path dir = Files.createTempDirectory("newsrec-spark-test");
    dir.toFile().deleteOnExit();
    world = dir.resolve("tiny");
    SyntheticWorld.generate(SynthConfig.preset("tiny").withSeed(1)).write(world, s -> {});
    ConfigTree tree = ConfigTree.load(Path.of("../configs/nrms/synth.yaml"));
    for (String s : new String[] {"data.train=" + world.resolve("train"), "data.dev=" + world.resolve("dev"),
        "model.word_dim=16", "model.heads=2", "model.head_dim=8", "model.title_tokens=16",
        "model.history.max=5", "data.max_train_impressions=600", "model.training.batch_size=16",
        "model.training.learning_rate=1.0e-2", "model.training.epochs=2"}) {
      tree.set(s);
    }
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Experiment.run(tree, dir.resolve("run"), java.util.List.of("test"), new PrintStream(log, true),
        Experiment.Reporter.NONE);
    run = dir.resolve("run");
    return run;
  }

  static Path world() throws Exception {
    run();
    return world;
  }
}
