package dev.newsrec.nn.punr;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.newsrec.core.synth.SyntheticWorld;
import dev.newsrec.nn.model.NewsInputs;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.plm.BertEmbeddings;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.weights.HfFolder;
import dev.newsrec.nn.plm.tokenizer.PlmTokenizer;
import dev.newsrec.nn.rec.StageContext;
import dev.newsrec.nn.rec.StageTraining;
import dev.newsrec.nn.train.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pre-training stages run directly on the tiny world with a tiny BERT: the losses fall, the
 * warm-up leaves the encoder alone and hands its decoder to the behaviour stage, the export loads
 * back as a PLM, and a resumed stage ends with the weights of an uninterrupted one.
 */
class PunrStagesTest {
  @TempDir static Path tmp;
  static SyntheticWorld world;
  static PunrOptions options;
  static PlmTokenizer tokenizer;
  static NewsInputs inputs;

  @BeforeAll
  static void setUp() throws Exception {
    PunrTesting.engine();
    world = PunrTesting.world();
    Path plm = PunrTesting.folder(tmp.resolve("plm"), world.corpus(), 2, 1);
    options = PunrTesting.options(plm, true, "cls", null);
    tokenizer = PunrTesting.tokenizer(options);
    inputs = PunrTesting.inputs(world.corpus(), tokenizer, options.titleTokens());
  }

  static StageTraining training(int steps, int checkpointEvery, double lr) {
    return new StageTraining(steps, 1, 8, 0, lr, 0.1, 0.01, 1.0, checkpointEvery, 2, 1);
  }

  static List<JsonNode> metrics(Path dir) throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve(StageContext.METRICS))) out.add(json.readTree(line));
    return out;
  }

  static double mean(List<JsonNode> lines, String key, int from, int to) {
    return lines.subList(from, to).stream().mapToDouble(n -> n.get(key).asDouble()).average().orElseThrow();
  }

  static Map<String, float[]> weights(BertModel bert) {
    Map<String, float[]> out = new LinkedHashMap<>();
    bert.namedParameters().forEach((n, p) -> out.put(n, p.getArray().toFloatArray()));
    return out;
  }

  @Test
  void behaviourStageLearnsLogsBothLossesAndExportsTheEncoder() throws Exception {
    Path dir = tmp.resolve("behaviour");
    List<String> log = new ArrayList<>();
    try (NDManager m = NDManager.newBaseManager()) {
      NewsRecModel net = PunrTesting.build(options, m, 2);
      BehaviourOptions s = new BehaviourOptions(null, null, training(30, 0, 1e-2), null, null, null, null,
          null, null, null);
      new BehaviourStage().run(options, s, net, PunrTesting.context(world, inputs, tokenizer, List.of(), dir, 5, log));
      List<JsonNode> lines = metrics(dir);
      assertThat(lines).hasSize(30);
      for (String key : new String[] {"mlm_loss", "dec_loss", "mlm_accuracy", "dec_accuracy"}) {
        assertThat(lines.get(0).has(key)).as(key).isTrue();
      }
      // The step loss is the sum of the two (weights 1).
      JsonNode last = lines.get(29);
      assertThat(last.get("loss").asDouble())
          .isCloseTo(last.get("mlm_loss").asDouble() + last.get("dec_loss").asDouble(),
              org.assertj.core.api.Assertions.within(1e-4));
      assertThat(mean(lines, "mlm_loss", 25, 30)).as("mlm loss").isLessThan(mean(lines, "mlm_loss", 0, 3) - 0.5);
      assertThat(mean(lines, "dec_loss", 25, 30)).as("dec loss").isLessThan(mean(lines, "dec_loss", 0, 3) - 0.5);
      // The tiny world's words are near uniform (ln |V| = 6.9): 30 steps reach about the unigram
      // level, where the decoder already gets every [SEP] right.
      assertThat(mean(lines, "dec_accuracy", 25, 30)).isGreaterThan(mean(lines, "dec_accuracy", 0, 3) + 0.05);
      assertThat(log).anyMatch(l -> l.contains("decoder starts at random"));

      // The export is a Hugging Face folder with the trained weights and the segment table.
      Path encoder = dir.resolve(PunrPretraining.ENCODER);
      assertThat(encoder.resolve(HfFolder.CONFIG)).exists();
      assertThat(encoder.resolve(HfFolder.WEIGHTS)).exists();
      assertThat(encoder.resolve(HfFolder.VOCAB)).exists();
      assertThat(dir.resolve(PunrHeads.FILE)).exists();
      BertModel trained = ((PunrEncoder) net.newsEncoder()).plm();
      BertModel exported = HfFolder.load(encoder, m,
          b -> b.optSegmentEmbedding(options.segmentRows(), BertEmbeddings.SegmentMode.ADDED));
      Map<String, float[]> a = weights(trained);
      Map<String, float[]> b = weights(exported);
      assertThat(b.keySet()).isEqualTo(a.keySet()).contains("embeddings.segment_embeddings.weight");
      a.forEach((n, v) -> assertThat(b.get(n)).as(n).containsExactly(v));
      float[] segments = a.get("embeddings.segment_embeddings.weight");
      double norm = 0;
      for (float x : segments) norm += x * x;
      assertThat(norm).as("the segment table trained").isPositive();
      // A later run starts from it with plm: <encoder folder>.
      PunrOptions fromExport = new PunrOptions(encoder.toString(), 0, -1, false, 12, 96, true, "cls", 16, 8, "cpu",
          options.history(), null);
      NewsRecModel again = PunrTesting.build(fromExport, m, 9);
      int[][] h = {world.train().impressions().history(3)};
      NDArray u1 = net.users(new ParameterStore(m, false), PunrModelTest.batch(m, inputs, h), false);
      NDArray u2 = again.users(new ParameterStore(m, false), PunrModelTest.batch(m, inputs, h), false);
      assertThat(u1.sub(u2).abs().max().getFloat()).isLessThan(1e-6f);
    }
  }

  @Test
  void warmupTrainsTheDecoderAloneAndTheBehaviourStageStartsFromIt() throws Exception {
    Path warmDir = tmp.resolve("warmup");
    List<String> log = new ArrayList<>();
    try (NDManager m = NDManager.newBaseManager()) {
      NewsRecModel net = PunrTesting.build(options, m, 2);
      BertModel bert = ((PunrEncoder) net.newsEncoder()).plm();
      Map<String, float[]> before = weights(bert);
      DecoderWarmupOptions w = new DecoderWarmupOptions(null, null, training(60, 0, 3e-2), null, 64, null);
      new DecoderWarmupStage().run(options, w, net, PunrTesting.context(world, inputs, tokenizer, List.of(), warmDir, 5, log));
      List<JsonNode> lines = metrics(warmDir);
      assertThat(lines).hasSize(60);
      assertThat(lines.get(0).has("mlm_loss")).isFalse();
      assertThat(mean(lines, "dec_loss", 55, 60)).isLessThan(mean(lines, "dec_loss", 0, 3) - 0.3);
      // The encoder did not move and trains again afterwards.
      Map<String, float[]> after = weights(bert);
      before.forEach((n, v) -> assertThat(after.get(n)).as(n).containsExactly(v));
      for (Parameter p : bert.namedParameters().values()) assertThat(p.requiresGradient()).isTrue();
      assertThat(warmDir.resolve(PunrHeads.FILE)).exists();

      // The behaviour stage picks the warmed-up decoder up: its first generation loss is far lower.
      double warmStart = firstDecLoss(m, List.of(warmDir), true, tmp.resolve("b-warm"), log);
      double coldStart = firstDecLoss(m, List.of(warmDir), false, tmp.resolve("b-cold"), log);
      assertThat(log).anyMatch(l -> l.contains("decoder and MLM head from"));
      assertThat(log).anyMatch(l -> l.contains("warm_decoder: false"));
      assertThat(warmStart).isLessThan(coldStart - 0.3);
    }
  }

  static double firstDecLoss(NDManager m, List<Path> earlier, boolean warm, Path dir, List<String> log)
      throws Exception {
    NewsRecModel net = PunrTesting.build(options, m, 2);
    BehaviourOptions s = new BehaviourOptions(null, null, training(1, 0, 1e-9), null, null, null, null, null,
        null, warm);
    new BehaviourStage().run(options, s, net, PunrTesting.context(world, inputs, tokenizer, earlier, dir, 5, log));
    return metrics(dir).get(0).get("dec_loss").asDouble();
  }

  @Test
  void theAblationSwitchesTrainOneTaskEach() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      for (boolean masking : new boolean[] {true, false}) {
        Path dir = tmp.resolve("only-" + (masking ? "masking" : "generation"));
        BehaviourOptions s = new BehaviourOptions(null, null, training(2, 0, 1e-3), null, null, masking, !masking,
            null, null, null);
        new BehaviourStage().run(options, s, PunrTesting.build(options, m, 2),
            PunrTesting.context(world, inputs, tokenizer, List.of(), dir, 5, new ArrayList<>()));
        JsonNode first = metrics(dir).get(0);
        assertThat(first.has("mlm_loss")).isEqualTo(masking);
        assertThat(first.has("dec_loss")).isEqualTo(!masking);
        assertThat(first.get("loss").asDouble())
            .isEqualTo(first.get(masking ? "mlm_loss" : "dec_loss").asDouble(), org.assertj.core.api.Assertions.within(1e-4));
      }
    }
  }

  @Test
  void aResumedStageEndsWithTheWeightsOfAnUninterruptedOne() throws Exception {
    Path dir = tmp.resolve("resume");
    BehaviourOptions s = new BehaviourOptions(null, null, training(6, 3, 3e-3), null, null, null, null, null,
        null, null);
    List<String> log = new ArrayList<>();
    try (NDManager m = NDManager.newBaseManager()) {
      NewsRecModel first = PunrTesting.build(options, m, 2);
      new BehaviourStage().run(options, s, first, PunrTesting.context(world, inputs, tokenizer, List.of(), dir, 5, log));
      Map<String, float[]> uninterrupted = weights(((PunrEncoder) first.newsEncoder()).plm());
      byte[] heads = Files.readAllBytes(dir.resolve(PunrHeads.FILE));
      List<JsonNode> lines = metrics(dir);
      // As if the run had stopped after step 3: only that checkpoint is left.
      assertThat(Checkpoints.list(dir.resolve(StageContext.CHECKPOINTS))).hasSize(2);
      dev.newsrec.core.io.AtomicFiles.deleteRecursively(Checkpoints.folder(dir.resolve(StageContext.CHECKPOINTS), 6));
      NewsRecModel second = PunrTesting.build(options, m, 77);
      new BehaviourStage().run(options, s, second, PunrTesting.context(world, inputs, tokenizer, List.of(), dir, 5, log));
      assertThat(log).anyMatch(l -> l.contains("resumed") && l.contains("step 3 of 6"));
      Map<String, float[]> resumed = weights(((PunrEncoder) second.newsEncoder()).plm());
      uninterrupted.forEach((n, v) -> assertThat(resumed.get(n)).as(n).containsExactly(v));
      assertThat(Files.readAllBytes(dir.resolve(PunrHeads.FILE))).isEqualTo(heads);
      List<JsonNode> again = metrics(dir);
      assertThat(again).hasSize(6);
      for (int i = 0; i < 6; i++) {
        assertThat(again.get(i).get("loss").asDouble()).isEqualTo(lines.get(i).get("loss").asDouble());
      }
    }
  }
}
