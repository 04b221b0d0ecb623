package dev.newsrec.nn.rec;

import dev.newsrec.nn.nrms.NrmsOptions;
import dev.newsrec.nn.plmnr.PlmNrOptions;
import dev.newsrec.nn.nrms.Nrms;
import dev.newsrec.nn.plmnr.PlmNr;
import static org.assertj.core.api.Assertions.assertThat;

import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.model.Recommender;
import dev.newsrec.core.model.RecommenderSpec;
import dev.newsrec.core.model.TrainContext;
import dev.newsrec.core.synth.SynthConfig;
import dev.newsrec.core.synth.SyntheticWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run is a function of (options, seed, data) on one machine and thread count: two trainings of
 * NRMS and of PLM-NR with the same seed save bit-identical weights and give bit-identical dev
 * scores; another seed gives other weights (so the check can fail). With learning rate 0 the saved
 * weights are the initial ones: they too must not depend on anything but the seed.
 */
class DeterminismTest {
  static SyntheticWorld world;
  static Impressions train;
  static Impressions dev;
  @TempDir static Path tmp;

  @BeforeAll
  static void world() {
    TinyPlm.engine();
    world = SyntheticWorld.generate(SynthConfig.preset("tiny").withSeed(3));
    train = world.train().impressions().head(96);
    dev = world.dev().impressions().head(40);
  }

  static final HistoryOptions HISTORY = new HistoryOptions(8, "recent");

  static NceTrainingOptions training(double learningRate) {
    return new NceTrainingOptions(4, 16, 8, 1, learningRate, learningRate, 0.1, 0.01, 1.0, 64,
        false, 1);
  }

  static NrmsOptions nrms(double learningRate) {
    return new NrmsOptions("minilm", false, 32, 4, 8, 16, 0.2, 16, "cpu", HISTORY, training(learningRate));
  }

  static PlmNrOptions plmnr(double learningRate) throws Exception {
    Path plm = tmp.resolve("plm");
    if (!Files.isDirectory(plm)) TinyPlm.folder(plm, world.corpus(), 2, 1);
    return new PlmNrOptions(plm.toString(), 0, -1, false, 16, 2, 16, 0.2, "cpu", HISTORY, training(learningRate));
  }

  /** Trains, saves and scores dev; returns the saved weights' bytes followed by the scores. */
  static <O> Outcome run(RecommenderSpec<O> spec, O options, long seed, String name) throws Exception {
    Path dir = tmp.resolve(name);
    Files.createDirectories(dir.resolve("model"));
    Recommender rec = spec.train(options, new TrainContext(train, dev, seed, dir, line -> {}));
    rec.save(dir.resolve("model"));
    return new Outcome(Files.readAllBytes(dir.resolve("model").resolve(NeuralRecommender.WEIGHTS)),
        rec.score(dev));
  }

  record Outcome(byte[] weights, float[] scores) {}

  static void assertSame(Outcome a, Outcome b) {
    assertThat(Arrays.equals(a.weights(), b.weights())).as("saved weights bit-identical").isTrue();
    assertThat(Arrays.equals(a.scores(), b.scores())).as("dev scores bit-identical").isTrue();
  }

  @Test
  void nrmsSameSeedSameRun() throws Exception {
    Outcome a = run(Nrms.SPEC, nrms(3e-3), 42, "nrms-a");
    Outcome b = run(Nrms.SPEC, nrms(3e-3), 42, "nrms-b");
    assertSame(a, b);
    Outcome other = run(Nrms.SPEC, nrms(3e-3), 43, "nrms-c");
    assertThat(Arrays.equals(a.weights(), other.weights())).isFalse();
  }

  @Test
  void nrmsInitialWeightsDependOnTheSeedOnly() throws Exception {
    assertSame(run(Nrms.SPEC, nrms(0), 42, "nrms-lr0-a"), run(Nrms.SPEC, nrms(0), 42, "nrms-lr0-b"));
  }

  @Test
  void plmNrSameSeedSameRun() throws Exception {
    Outcome a = run(PlmNr.SPEC, plmnr(3e-3), 42, "plmnr-a");
    Outcome b = run(PlmNr.SPEC, plmnr(3e-3), 42, "plmnr-b");
    assertSame(a, b);
    Outcome other = run(PlmNr.SPEC, plmnr(3e-3), 43, "plmnr-c");
    assertThat(Arrays.equals(a.weights(), other.weights())).isFalse();
  }
}
