package dev.newsrec.nn.ip2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.newsrec.core.UserException;
import dev.newsrec.core.synth.SynthConfig;
import dev.newsrec.core.synth.SyntheticWorld;
import dev.newsrec.nn.model.NewsInputs;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.plm.tokenizer.PlmTokenizer;
import dev.newsrec.nn.plm.weights.PretrainedPlm;
import dev.newsrec.nn.rec.BuildContext;
import dev.newsrec.nn.rec.StageContext;
import dev.newsrec.nn.rec.StageTraining;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contrastive stage on the tiny synthetic world with a tiny random BERT, called directly (as
 * the shared runner will): the loss falls, every term is logged per step, only the news encoder
 * trains, and a finished stage resumes as finished.
 */
class ContrastiveStageTest {
  static final int STEPS = 40;

  @TempDir Path tmp;

  @Test
  void theStageTrainsTheNewsEncoderAndItsLossFalls() throws Exception {
    try (NDManager m = Ip2Testing.manager()) {
      SyntheticWorld world = SyntheticWorld.generate(SynthConfig.preset("tiny").withSeed(1));
      String plm = Ip2Testing.plmFolder(tmp.resolve("plm"), world.corpus(), 2, 3).toString();
      Ip2Options o = Ip2Testing.options(plm);
      NewsInputs inputs = Ip2Testing.inputs(world.corpus(), plm);
      List<String> log = new ArrayList<>();
      NewsRecModel net = Ip2.MODEL.build(o, new BuildContext(m, null, inputs, null, log::add));
      Map<String, float[]> userBefore = values(net.userEncoder());

      ContrastiveOptions stage = new ContrastiveOptions(null, 5L, null, null, null, null, null, null,
          null, null, null, null, null, 1e-2, new StageTraining(STEPS, null, 32, null, 1e-2, 0.1, 0.0, 1.0, 0, 1, 1));
      Path dir = tmp.resolve("stage");
      Files.createDirectories(dir);
      try (PlmTokenizer tok = PretrainedPlm.tokenizer(plm)) {
        StageContext ctx = new StageContext(world.train().impressions(), List.of(), inputs, tok, List.of(),
            List.of(), dir, 5L, log::add);
        new ContrastiveStage().run(o, stage, net, ctx);

        List<JsonNode> lines = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(dir.resolve(StageContext.METRICS))) lines.add(json.readTree(line));
        assertThat(lines).hasSize(STEPS);
        for (JsonNode n : lines) {
          assertThat(n.has("loss_et") && n.has("loss_tt") && n.has("loss_ee")).as(n.toString()).isTrue();
          double sum = 0.3 * n.get("loss_et").asDouble() + 0.2 * n.get("loss_tt").asDouble()
              + 0.2 * n.get("loss_ee").asDouble();
          assertThat(n.get("loss").asDouble()).isCloseTo(sum, org.assertj.core.api.Assertions.within(1e-4));
        }
        double head = mean(lines.subList(0, 5), "loss_et");
        double tail = mean(lines.subList(STEPS - 5, STEPS), "loss_et");
        // In-batch negatives of 32: a random encoder starts near log(32) = 3.47.
        assertThat(head).isGreaterThan(2.5);
        assertThat(tail).as("loss_et %s -> %s", head, tail).isLessThan(head - 0.5);
        assertThat(mean(lines.subList(STEPS - 5, STEPS), "loss")).isLessThan(mean(lines.subList(0, 5), "loss"));
        // The user encoder takes no part in pre-training.
        assertThat(values(net.userEncoder())).allSatisfy((k, v) -> assertThat(v).containsExactly(userBefore.get(k)));
        assertThat(log).anyMatch(l -> l.startsWith("contrastive: ") && l.contains("without entities left out"));

        // Run again on the same folder: the last checkpoint says it is done, no step is added.
        new ContrastiveStage().run(o, stage, net, ctx);
        assertThat(Files.readAllLines(dir.resolve(StageContext.METRICS))).hasSize(STEPS);

        // Too few news for one batch is a user error naming the batch.
        ContrastiveOptions huge = new ContrastiveOptions(null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, new StageTraining(1, null, 100_000, null, null, null, null, null, null, null, null));
        assertThatThrownBy(() -> new ContrastiveStage().run(o, huge, net, ctx)).isInstanceOf(UserException.class)
            .hasMessageContaining("batch");
      }
    }
  }

  /**
   * Killed after step 3 of 6 (only that checkpoint left), the stage resumes there in a model built
   * from another seed and ends with the weights and the per-step losses of an uninterrupted run:
   * the dropout mirrors and batch order are restored too.
   */
  @Test
  void aResumedStageEndsWithTheWeightsOfAnUninterruptedOne() throws Exception {
    try (NDManager m = Ip2Testing.manager()) {
      SyntheticWorld world = SyntheticWorld.generate(SynthConfig.preset("tiny").withSeed(1));
      String plm = Ip2Testing.plmFolder(tmp.resolve("plm"), world.corpus(), 2, 3).toString();
      Ip2Options o = Ip2Testing.options(plm);
      NewsInputs inputs = Ip2Testing.inputs(world.corpus(), plm);
      List<String> log = new ArrayList<>();
      ContrastiveOptions stage = new ContrastiveOptions(null, 5L, null, null, null, null, null, null,
          null, null, null, null, null, 1e-2, new StageTraining(6, null, 32, null, 1e-2, 0.1, 0.0, 1.0, 3, 2, 1));
      Path dir = tmp.resolve("resume");
      Files.createDirectories(dir);
      try (PlmTokenizer tok = PretrainedPlm.tokenizer(plm)) {
        StageContext ctx = new StageContext(world.train().impressions(), List.of(), inputs, tok, List.of(),
            List.of(), dir, 5L, log::add);
        dev.newsrec.nn.Engines.seed(1);
        NewsRecModel first = Ip2.MODEL.build(o, new BuildContext(m, null, inputs, null, log::add));
        new ContrastiveStage().run(o, stage, first, ctx);
        Map<String, float[]> uninterrupted = values(first.newsEncoder());
        List<String> lines = Files.readAllLines(dir.resolve(StageContext.METRICS));
        assertThat(lines).hasSize(6);
        Path checkpoints = dir.resolve(StageContext.CHECKPOINTS);
        assertThat(dev.newsrec.nn.train.Checkpoints.list(checkpoints)).hasSize(2);
        dev.newsrec.core.io.AtomicFiles.deleteRecursively(dev.newsrec.nn.train.Checkpoints.folder(checkpoints, 6));

        dev.newsrec.nn.Engines.seed(77);
        NewsRecModel second = Ip2.MODEL.build(o, new BuildContext(m, null, inputs, null, log::add));
        assertThat(values(second.newsEncoder())).isNotEqualTo(uninterrupted);
        new ContrastiveStage().run(o, stage, second, ctx);
        assertThat(log).anyMatch(l -> l.contains("resumed") && l.contains("step 3 of 6"));
        Map<String, float[]> resumed = values(second.newsEncoder());
        uninterrupted.forEach((n, v) -> assertThat(resumed.get(n)).as(n).containsExactly(v));
        List<String> again = Files.readAllLines(dir.resolve(StageContext.METRICS));
        assertThat(again).hasSize(6);
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < 6; i++) {
          JsonNode a = json.readTree(lines.get(i));
          JsonNode b = json.readTree(again.get(i));
          for (String k : List.of("loss", "loss_et", "loss_tt", "loss_ee")) {
            assertThat(b.get(k).asDouble()).as("step %d %s", i + 1, k).isEqualTo(a.get(k).asDouble());
          }
        }
      }
    }
  }

  static Map<String, float[]> values(Object block) {
    Map<String, float[]> out = new java.util.LinkedHashMap<>();
    for (var p : ((ai.djl.nn.Block) block).getParameters()) out.put(p.getKey(), p.getValue().getArray().toFloatArray());
    return out;
  }

  static double mean(List<JsonNode> lines, String key) {
    return lines.stream().mapToDouble(n -> n.get(key).asDouble()).average().orElseThrow();
  }
}
