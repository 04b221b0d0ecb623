package dev.newsrec.nn.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.newsrec.core.UserException;
import dev.newsrec.nn.train.Fixtures.Example;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
  private static int threads;

  @org.junit.jupiter.api.BeforeAll
  static void oneThread() {
    threads = Fixtures.singleThread();
  }

  @org.junit.jupiter.api.AfterAll
  static void restoreThreads() {
    Fixtures.restoreThreads(threads);
  }

  private static final List<Example> DATA = Fixtures.regression(96, 11);
  private NDManager manager;
  private long modelSeed = 5;
  private boolean randomSteps;

  @TempDir Path tmp;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  /** A trainer over a fresh model, optimiser and source, all determined by the arguments. */
  private Trainer<List<Example>> trainer(float dropout, int batch, int accumulation, long steps, Path checkpoints,
      TrainListener... listeners) {
    return trainer(1e-2, dropout, batch, accumulation, steps, checkpoints, listeners);
  }

  private Trainer<List<Example>> trainer(double lr, float dropout, int batch, int accumulation, long steps,
      Path checkpoints, TrainListener... listeners) {
    TinyModel model = TinyModel.create(manager, modelSeed, Fixtures.IN, 16, 1, dropout);
    StepFunction<List<Example>> mse = Fixtures.mse(model);
    // a step that also samples from the trainer's generator (as negative sampling would)
    StepFunction<List<Example>> fn = !randomSteps ? mse
        : (ctx, bt) -> mse.loss(ctx, bt.subList(0, 1 + ctx.random().nextInt(bt.size())));
    AdamW opt = AdamW.builder().learningRate(lr).weightDecay(0.01)
        .group("encoder", n -> n.startsWith("01encoder"), lr / 2, 0.01).build(model);
    Trainer.Builder<List<Example>> b = Trainer.builder(model, fn, new ShuffledBatches<>(DATA, batch, 9, true))
        .optimizer(opt)
        .schedule(LrSchedule.linearWarmupDecay(steps, 0.1))
        .totalSteps(steps)
        .accumulation(accumulation)
        .maxGradNorm(1.0)
        .seed(123);
    if (checkpoints != null) b.checkpoints(checkpoints, 5, 2);
    for (TrainListener l : listeners) b.listener(l);
    return b.build();
  }

  private static double evalLoss(Trainer<List<Example>> t) {
    return t.evaluate(ctx -> Fixtures.mse(t.model()).loss(ctx, DATA).getFloat());
  }

  @Test
  void lossFallsOnATinyRegressionTask() {
    List<Double> losses = new ArrayList<>();
    try (Trainer<List<Example>> t = trainer(5e-2, 0f, 16, 1, 150, null, (tr, e) -> losses.add(e.loss()))) {
      double before = evalLoss(t);
      t.train();
      double after = evalLoss(t);
      System.out.printf("tiny regression: mse %.4f -> %.4f%n", before, after);
      assertThat(t.finished()).isTrue();
      assertThat(losses).hasSize(150);
      assertThat(after).isLessThan(before * 0.1);
      assertThat(losses.subList(140, 150).stream().mapToDouble(d -> d).average().orElseThrow())
          .isLessThan(losses.subList(0, 10).stream().mapToDouble(d -> d).average().orElseThrow() * 0.2);
      t.optimizer().close();
    }
  }

  /** A sequence of token ids and its class: 1 when most tokens are from the upper half of the vocabulary. */
  record Sentence(int[] ids, int label) {}

  @Test
  void lossFallsOnATinyTextClassificationTaskWithEmbeddingsAndDropout() {
    java.util.Random r = new java.util.Random(4);
    int vocab = 40;
    List<Sentence> data = new ArrayList<>();
    for (int i = 0; i < 128; i++) {
      int[] ids = new int[7];
      int upper = 0;
      for (int j = 0; j < ids.length; j++) {
        ids[j] = r.nextInt(vocab);
        if (ids[j] >= vocab / 2) upper++;
      }
      data.add(new Sentence(ids, upper > ids.length / 2 ? 1 : 0));
    }
    TinyTextClassifier model = TinyTextClassifier.create(manager, 2, vocab, 16, 2, 0.1f);
    StepFunction<List<Sentence>> crossEntropy = (ctx, batch) -> {
      int[][] ids = batch.stream().map(Sentence::ids).toArray(int[][]::new);
      float[] labels = new float[batch.size()];
      for (int i = 0; i < labels.length; i++) labels[i] = batch.get(i).label();
      NDArray logits = ctx.forward(model, new NDList(ctx.manager().create(ids))).singletonOrThrow();
      NDArray gold = ctx.manager().create(labels).oneHot(2);
      NDArray loss = logits.logSoftmax(-1).mul(gold).sum(new int[] {-1}).neg().mean();
      ctx.record("accuracy", logits.argMax(-1).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
          .eq(ctx.manager().create(labels)).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).mean());
      return loss;
    };
    List<StepEvent> events = new ArrayList<>();
    try (AdamW opt = AdamW.builder().learningRate(3e-2).weightDecay(0.01)
            .group("embeddings", n -> n.contains("embeddings"), 1e-1, 0.0).build(model);
        Trainer<List<Sentence>> t = Trainer.builder(model, crossEntropy, new ShuffledBatches<>(data, 16, 3, true))
            .optimizer(opt).schedule(LrSchedule.linearWarmupDecay(120, 0.1)).totalSteps(120).maxGradNorm(1.0)
            .listener((tr, e) -> events.add(e)).build()) {
      assertThat(opt.groupOf("word_embeddings").name()).isEqualTo("embeddings");
      assertThat(opt.weightDecayOf("01LayerNorm_gamma")).isZero();
      t.train();
      double evalAccuracy = t.evaluate(ctx -> {
        crossEntropy.loss(ctx, data);
        return ctx.recorded().get("accuracy");
      });
      double firstLoss = events.subList(0, 10).stream().mapToDouble(StepEvent::loss).average().orElseThrow();
      double lastLoss = events.subList(110, 120).stream().mapToDouble(StepEvent::loss).average().orElseThrow();
      double lastAccuracy = events.subList(100, 120).stream().mapToDouble(e -> e.metrics().get("accuracy")).average().orElseThrow();
      System.out.printf("tiny classification: loss %.3f -> %.3f, training accuracy %.2f, evaluation %.2f%n", firstLoss,
          lastLoss, lastAccuracy, evalAccuracy);
      assertThat(lastLoss).isLessThan(firstLoss * 0.6);
      assertThat(lastAccuracy).isGreaterThan(0.8);
      assertThat(evalAccuracy).isGreaterThan(0.8);
    }
  }

  @Test
  void accumulatingMicroBatchesEqualsOneLargeBatch() {
    // 2 micro-batches of 8 (mean of means) == 1 batch of 16, when the source hands out the same 16 examples
    try (Trainer<List<Example>> big = trainer(0f, 16, 1, 6, null);
        Trainer<List<Example>> small = trainer(0f, 8, 2, 6, null)) {
      // same permutation for both sources (seed 9) and 16 = 2 x 8 consecutive items
      big.train();
      small.train();
      assertThat(Fixtures.maxAbsDiff(Fixtures.weights(big.model()), Fixtures.weights(small.model()))).isLessThan(1e-6);
      big.optimizer().close();
      small.optimizer().close();
    }
  }

  @Test
  void resumingFromACheckpointGivesTheSameWeightsAsTrainingStraight() {
    randomSteps = true;
    long total = 20;
    Map<String, float[]> straight;
    List<Double> straightLosses = new ArrayList<>();
    try (Trainer<List<Example>> t = trainer(0.3f, 8, 2, total, null, (tr, e) -> straightLosses.add(e.loss()))) {
      t.train();
      straight = Fixtures.weights(t.model());
      t.optimizer().close();
    }
    Path dir = tmp.resolve("ckpt");
    List<Double> resumedLosses = new ArrayList<>();
    try (Trainer<List<Example>> first = trainer(0.3f, 8, 2, total, dir, (tr, e) -> resumedLosses.add(e.loss()))) {
      first.trainSteps(8); // checkpoints at 5 (every 5) ... and we take one at 8 explicitly
      first.checkpoint();
      first.trainSteps(3); // work after the checkpoint that a crash would lose
      first.optimizer().close();
    }
    resumedLosses.subList(8, resumedLosses.size()).clear();
    modelSeed = 99; // a fresh model with other initial weights: only the checkpoint can make it match
    try (Trainer<List<Example>> second = trainer(0.3f, 8, 2, total, dir, (tr, e) -> resumedLosses.add(e.loss()))) {
      assertThat(Checkpoints.latest(dir)).contains(Checkpoints.folder(dir, 10));
      second.restore(Checkpoints.folder(dir, 8));
      assertThat(second.step()).isEqualTo(8);
      second.train();
      Map<String, float[]> resumed = Fixtures.weights(second.model());
      double diff = Fixtures.maxAbsDiff(straight, resumed);
      System.out.println("resume: max |straight - resumed| = " + diff);
      assertThat(diff).isLessThan(1e-6);
      assertThat(resumedLosses).containsExactlyElementsOf(straightLosses);
      second.optimizer().close();
    }
  }

  @Test
  void aDivergingLossStopsTrainingWithAClearMessage() {
    TinyModel model = TinyModel.create(manager, 5, Fixtures.IN, 8, 1, 0f);
    StepFunction<List<Example>> nan = (ctx, b) -> Fixtures.mse(model).loss(ctx, b).mul(Float.NaN);
    try (AdamW opt = AdamW.builder().build(model);
        Trainer<List<Example>> t = Trainer.builder(model, nan, new ShuffledBatches<>(DATA, 8, 1, true))
            .optimizer(opt).totalSteps(3).build()) {
      Map<String, float[]> before = Fixtures.weights(model);
      assertThatThrownBy(t::train).isInstanceOf(IllegalStateException.class).hasMessageContaining("loss is NaN at step 0");
      assertThat(Fixtures.maxAbsDiff(before, Fixtures.weights(model))).isZero();
    }
  }

  @Test
  void weightsRoundTripThroughAFileIntoAnotherModel() throws Exception {
    TinyModel a = TinyModel.create(manager, 1, Fixtures.IN, 8, 1, 0f);
    TinyModel b = TinyModel.create(manager, 2, Fixtures.IN, 8, 1, 0f);
    TinyModel wrongShape = TinyModel.create(manager, 2, Fixtures.IN, 4, 1, 0f);
    Path file = tmp.resolve("w/model.params");
    ModelWeights.save(a, file);
    assertThat(Fixtures.maxAbsDiff(Fixtures.weights(a), Fixtures.weights(b))).isGreaterThan(0);
    ModelWeights.load(b, file);
    assertThat(Fixtures.maxAbsDiff(Fixtures.weights(a), Fixtures.weights(b))).isZero();
    assertThat(b.getParameters().get(0).getValue().getArray().hasGradient()).isTrue();
    assertThatThrownBy(() -> ModelWeights.load(wrongShape, file)).hasMessageContaining("01encoder_01Linear_weight")
        .hasMessageContaining("(8, 6)");
    // lenient: a model with another head keeps its own head, takes the shared parts
    TinyTextClassifier other = TinyTextClassifier.create(manager, 3, 10, 8, 2, 0f);
    try (var in = new java.io.DataInputStream(Files.newInputStream(file))) {
      ModelWeights.LoadResult r = ModelWeights.load(other, in, false);
      assertThat(r.loaded()).isEmpty();
      assertThat(r.unexpected()).contains("02head_weight");
      assertThat(r.missing()).contains("word_embeddings");
    }
  }

  @Test
  void dropoutIsOnInTrainingAndOffInEvaluation() {
    try (Trainer<List<Example>> t = trainer(0.5f, 8, 1, 10, null)) {
      List<Example> batch = DATA.subList(0, 8);
      float a = t.evaluate(ctx -> Fixtures.mse(t.model()).loss(ctx, batch).getFloat());
      float b = t.evaluate(ctx -> Fixtures.mse(t.model()).loss(ctx, batch).getFloat());
      assertThat(a).isEqualTo(b);
      List<Boolean> modes = new ArrayList<>();
      List<float[]> outputs = new ArrayList<>();
      StepFunction<List<Example>> spy = (ctx, bt) -> {
        modes.add(ctx.training());
        NDArray x = Fixtures.arrays(ctx.manager(), bt)[0];
        NDArray out = ctx.forward(t.model(), new NDList(x)).singletonOrThrow();
        outputs.add(out.toFloatArray());
        return out.square().mean();
      };
      t.evaluate(ctx -> spy.loss(ctx, batch).getFloat());
      float[] evalOut = outputs.get(0);
      // the training forward path with the same weights differs because units are dropped
      try (NDManager m = NDManager.newBaseManager()) {
        var ps = new ai.djl.training.ParameterStore(m, false);
        float[] trainOut = t.model().forward(ps, new NDList(Fixtures.arrays(m, batch)[0]), true).singletonOrThrow().toFloatArray();
        assertThat(trainOut).isNotEqualTo(evalOut);
      }
      assertThat(modes).containsExactly(false);
      t.optimizer().close();
    }
  }

  @Test
  void checkpointsAreWholeFoldersAndOldOnesArePruned() throws Exception {
    Path dir = tmp.resolve("ck");
    List<Path> seen = new ArrayList<>();
    TrainListener onCk = new TrainListener() {
      @Override
      public void onStep(Trainer<?> trainer, StepEvent event) {}

      @Override
      public void onCheckpoint(Trainer<?> trainer, Path checkpoint) {
        seen.add(checkpoint);
      }
    };
    // what a crashed process could have left behind
    Files.createDirectories(dir.resolve(".step-00000003.tmp"));
    Files.writeString(dir.resolve(".step-00000003.tmp/model.params"), "half");
    Files.createDirectories(dir.resolve(".deleting-step-00000001"));
    try (Trainer<List<Example>> t = trainer(0f, 8, 1, 17, dir, onCk)) {
      t.train();
      t.optimizer().close();
    }
    assertThat(seen).containsExactly(Checkpoints.folder(dir, 5), Checkpoints.folder(dir, 10),
        Checkpoints.folder(dir, 15), Checkpoints.folder(dir, 17));
    assertThat(Checkpoints.list(dir)).containsExactly(Checkpoints.folder(dir, 15), Checkpoints.folder(dir, 17));
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("step-00000015", "step-00000017");
    }
    assertThat(Checkpoints.folder(dir, 17).resolve(Checkpoints.MODEL)).isRegularFile();
    assertThat(Checkpoints.folder(dir, 17).resolve(Checkpoints.OPTIMIZER)).isRegularFile();
    assertThat(Files.readString(Checkpoints.folder(dir, 17).resolve(Checkpoints.STATE))).contains("step=17");
  }

  @Test
  void aFailureWhileCheckpointingLeavesNoHalfCheckpoint() throws Exception {
    Path dir = tmp.resolve("broken");
    TinyModel model = TinyModel.create(manager, 5, Fixtures.IN, 8, 1, 0f);
    ShuffledBatches<Example> good = new ShuffledBatches<>(DATA, 8, 1, true);
    BatchSource<List<Example>> failing = new BatchSource<>() {
      @Override
      public List<Example> next() {
        return good.next();
      }

      @Override
      public byte[] saveState() {
        throw new IllegalStateException("disk on fire");
      }

      @Override
      public void restoreState(byte[] state) {}
    };
    try (AdamW opt = AdamW.builder().build(model);
        Trainer<List<Example>> t = Trainer.builder(model, Fixtures.mse(model), failing).optimizer(opt)
            .totalSteps(3).checkpoints(dir, 2, 0).build()) {
      assertThatThrownBy(t::train).hasMessageContaining("disk on fire");
      assertThat(t.step()).isEqualTo(2);
    }
    assertThat(Checkpoints.list(dir)).isEmpty();
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.toList()).isEmpty();
    }
  }

  @Test
  void resumingWithADifferentConfigurationIsAUserError() {
    Path dir = tmp.resolve("cfg");
    try (Trainer<List<Example>> t = trainer(0f, 8, 1, 4, dir)) {
      t.train();
      t.optimizer().close();
    }
    try (Trainer<List<Example>> t = trainer(0f, 8, 1, 40, dir)) {
      assertThatThrownBy(t::resumeLatest).isInstanceOf(UserException.class).hasMessageContaining("totalSteps 4");
      t.optimizer().close();
    }
  }

  @Test
  void progressLinesWhenNotOnATerminal() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Path metrics = tmp.resolve("metrics.jsonl");
    MetricsJsonl jsonl = new MetricsJsonl(metrics, 2);
    TinyModel model = TinyModel.create(manager, 5, Fixtures.IN, 8, 1, 0f);
    StepFunction<List<Example>> withMetrics = (ctx, b) -> {
      NDArray loss = Fixtures.mse(model).loss(ctx, b);
      ctx.record("mse_x2", loss.mul(2));
      ctx.record("micro", ctx.microBatch());
      return loss;
    };
    List<StepEvent> events = new ArrayList<>();
    try (AdamW opt = AdamW.builder().group("encoder", n -> n.startsWith("01encoder"), 1e-3, 0).build(model);
        Trainer<List<Example>> t = Trainer.builder(model, withMetrics, new ShuffledBatches<>(DATA, 4, 1, true))
            .optimizer(opt).totalSteps(10).accumulation(2).listener(new ProgressDisplay(out, false, 4)).listener(jsonl)
            .listener((tr, e) -> events.add(e)).build()) {
      t.train();
    }
    jsonl.close();
    assertThat(events.get(0).metrics().get("mse_x2")).isCloseTo(2 * events.get(0).loss(), org.assertj.core.api.Assertions.within(1e-5));
    assertThat(events.get(0).metrics().get("micro")).isEqualTo(0.5);
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).startsWith("step  4/10  ").contains("steps/s", "eta ", "loss ", "(avg ", "lr ");
    assertThat(lines[2]).startsWith("step 10/10");
    List<String> json = readLines(metrics);
    assertThat(json).hasSize(5);
    assertThat(json.get(0)).startsWith("{\"step\":2,\"loss\":").contains("\"lr\":{\"encoder\":", "\"default\":")
        .contains(",\"mse_x2\":", ",\"micro\":0.500000}");
    jsonl.truncateAfter(6);
    assertThat(readLines(metrics)).hasSize(3);
  }

  @Test
  void progressRewritesOneLineOnATerminal() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ProgressDisplay d = new ProgressDisplay(out, true, 100);
    d.onStep(null, new StepEvent(1, 3, 0.5, 0.5, Map.of("default", 1e-4), 1, 2.0, 0.5));
    d.onStep(null, new StepEvent(3, 3, 0.25, 0.4, Map.of("default", 1e-4), 1, 2.0, 1.5));
    String s = bytes.toString(StandardCharsets.UTF_8);
    assertThat(s).startsWith("\rstep 1/3  2.00 steps/s  eta 1s  loss 0.5000 (avg 0.5000)  lr 1.00e-04");
    assertThat(s).contains("\rstep 3/3").endsWith(System.lineSeparator());
    assertThat(ProgressDisplay.duration(3725)).isEqualTo("1h02m05s");
    assertThat(ProgressDisplay.duration(75)).isEqualTo("1m15s");
  }

  private static List<String> readLines(Path p) {
    try {
      return Files.readAllLines(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
