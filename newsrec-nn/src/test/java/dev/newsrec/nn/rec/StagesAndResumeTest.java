package dev.newsrec.nn.rec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.newsrec.core.UserException;
import dev.newsrec.core.metrics.Metrics;
import dev.newsrec.core.metrics.MetricsResult;
import dev.newsrec.core.metrics.Prediction;
import dev.newsrec.core.model.TrainContext;
import dev.newsrec.core.run.MetricsLog;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.nrms.Nrms;
import dev.newsrec.nn.nrms.NrmsOptions;
import dev.newsrec.nn.train.AdamW;
import dev.newsrec.nn.train.Checkpoints;
import dev.newsrec.nn.train.ShuffledBatches;
import dev.newsrec.nn.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared pipeline around fine-tuning: resuming from a checkpoint ends exactly where an
 * uninterrupted run ends, pre-training stages run once and are reused, init_from loads by name,
 * and a validation split keeps the best epoch.
 */
class StagesAndResumeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @BeforeAll
  static void world() {
    NeuralPipelineTest.world();
  }

  static NrmsOptions options(int epochs, int checkpointEvery) {
    NceTrainingOptions t = new NceTrainingOptions(4, 16, 8, epochs, 3e-3, 1e-5, 0.1, 0.0, 1.0, 64,
        false, 1, checkpointEvery, 50);
    return new NrmsOptions("minilm", false, 32, 4, 8, 16, 0.1, 16, "cpu", HistoryOptions.defaults(), t);
  }

  static TrainContext context(Path run, long seed, JsonNode stages, Path stageDir, Path initFrom,
      boolean resume, List<String> log) {
    return new TrainContext(NeuralPipelineTest.train.head(120), NeuralPipelineTest.dev, null, seed, run, log::add,
        List.of(), stages, stageDir, 42, initFrom, resume);
  }

  static float[] scores(NeuralRecommender rec) {
    return rec.score(NeuralPipelineTest.dev, line -> {});
  }

  @Test
  void resumingFromAMidRunCheckpointEndsExactlyAsTheUninterruptedRun() throws Exception {
    Path full = tmp.resolve("full");
    Files.createDirectories(full);
    List<String> log = new ArrayList<>();
    NeuralRecommender a = (NeuralRecommender) Nrms.SPEC.train(options(2, 5),
        context(full, 7, null, full, null, false, log));
    List<Path> cps = Checkpoints.list(full.resolve(NeuralSpec.CHECKPOINTS));
    assertThat(cps.size()).isGreaterThanOrEqualTo(3);
    // A run killed after its second checkpoint: that checkpoint and the log up to then.
    Path killed = tmp.resolve("killed");
    Path cp = cps.get(1);
    long at = Checkpoints.stepOf(cp);
    Path to = killed.resolve(NeuralSpec.CHECKPOINTS).resolve(cp.getFileName());
    Files.createDirectories(to);
    try (var files = Files.list(cp)) {
      for (Path f : files.toList()) Files.copy(f, to.resolve(f.getFileName()));
    }
    List<String> kept = new ArrayList<>();
    for (String line : Files.readAllLines(MetricsLog.in(full).file())) {
      if (JSON.readTree(line).path("step").asLong() <= at + 2) kept.add(line); // two lines past it: truncated
    }
    Files.write(MetricsLog.in(killed).file(), kept);

    List<String> log2 = new ArrayList<>();
    NeuralRecommender b = (NeuralRecommender) Nrms.SPEC.train(options(2, 5),
        context(killed, 7, null, killed, null, true, log2));
    assertThat(log2).anyMatch(l -> l.startsWith("resumed fine-tuning at step " + at + " of"));
    assertThat(scores(b)).containsExactly(scores(a));
    // the same lines (but for the speed each measured), the ones past the checkpoint written once
    assertThat(withoutSpeed(MetricsLog.in(killed).file())).isEqualTo(withoutSpeed(MetricsLog.in(full).file()));
  }

  private static List<String> withoutSpeed(Path file) throws java.io.IOException {
    return Files.readAllLines(file).stream().map(l -> l.replaceAll(",\"steps_per_s\":[^,}]*", "")).toList();
  }

  /** NRMS with one stage that trains the news encoder alone (vectors pulled towards unit norm). */
  static final class StagedNrms implements NeuralModel<NrmsOptions> {
    int runs;

    @Override public String type() { return "nrms-staged"; }

    @Override public Class<NrmsOptions> optionsType() { return NrmsOptions.class; }

    @Override
    public dev.newsrec.nn.model.TitleVocabulary vocabulary(NrmsOptions o,
        dev.newsrec.nn.model.NewsTokens tokens, dev.newsrec.nn.plm.tokenizer.PlmTokenizer tokenizer) {
      return Nrms.MODEL.vocabulary(o, tokens, tokenizer);
    }

    @Override public NewsRecModel build(NrmsOptions o, BuildContext c) { return Nrms.MODEL.build(o, c); }

    record NormOptions(String stage, Long seed, StageTraining training) implements StageOptions {
      NormOptions {
        training = StageTraining.orDefaults(training, StageTraining.of(6, 1, 8, 1e-2, 0.0, 0.0, 1.0));
      }
    }

    @Override
    public List<PretrainingStage<NrmsOptions, ?>> stages() {
      return List.of(new PretrainingStage<NrmsOptions, NormOptions>() {
        @Override public String name() { return "norm"; }

        @Override public Class<NormOptions> optionsType() { return NormOptions.class; }

        @Override
        public void run(NrmsOptions o, NormOptions s, NewsRecModel net, StageContext ctx) {
          runs++;
          List<Integer> news = IntStream.range(0, ctx.inputs().size()).boxed().toList();
          var source = new ShuffledBatches<>(news, s.training().micro(), ctx.seed(), true);
          AdamW opt = AdamW.builder().learningRate(s.training().learningRate()).build(net);
          try (Trainer<List<Integer>> t = ctx.trainer(net, (sc, batch) -> {
            NDArray v = net.newsEncoder().encode(sc.parameterStore(), sc.manager(), ctx.inputs(),
                batch.stream().mapToInt(Integer::intValue).toArray(), sc.training());
            NDArray loss = v.square().sum(new int[] {1}).sub(1).square().mean();
            sc.record("norm_gap", loss);
            return loss;
          }, source, opt, s.training(), news.size() / s.training().micro())) {
            t.train();
          }
        }
      });
    }
  }

  @Test
  void aStageRunsOnceIsReusedByOtherSeedsAndStartsOtherRunsByName() throws Exception {
    StagedNrms model = new StagedNrms();
    NeuralSpec<NrmsOptions> spec = new NeuralSpec<>(model);
    JsonNode stages = JSON.readTree("[{\"stage\":\"norm\",\"training\":{\"steps\":6,\"log_every\":1}}]");
    Path parent = tmp.resolve("seeds");
    List<String> log = new ArrayList<>();
    spec.train(options(1, 0), context(parent.resolve("seed-42"), 42, stages, parent, null, false, log));
    Path stageDir = parent.resolve("pretraining/01-norm");
    assertThat(stageDir.resolve("stage.json")).exists();
    assertThat(stageDir.resolve("model.params")).exists();
    assertThat(MetricsLog.in(stageDir).read().steps()).hasSize(6);
    assertThat(Files.readString(MetricsLog.in(stageDir).file())).contains("\"norm_gap\"");
    assertThat(model.runs).isEqualTo(1);
    // The second seed loads the stage instead of running it again.
    List<String> log2 = new ArrayList<>();
    spec.train(options(1, 0), context(parent.resolve("seed-43"), 43, stages, parent, null, false, log2));
    assertThat(model.runs).isEqualTo(1);
    assertThat(log2).anyMatch(l -> l.contains("norm: done in") && l.contains("weights loaded"));
    // Other settings never reuse a finished stage.
    JsonNode other = JSON.readTree("[{\"stage\":\"norm\",\"training\":{\"steps\":4}}]");
    assertThatThrownBy(() -> spec.train(options(1, 0), context(parent.resolve("seed-44"), 44, other,
        parent, null, false, new ArrayList<>()))).isInstanceOf(UserException.class)
        .hasMessageContaining("was made with other settings");

    // init_from: plain NRMS starts from the stage's weights, every parameter found by name.
    List<String> log3 = new ArrayList<>();
    Path fresh = tmp.resolve("fresh");
    Files.createDirectories(fresh);
    Nrms.SPEC.train(options(1, 0), context(fresh, 42, null, fresh, parent, false, log3));
    assertThat(log3).anyMatch(l -> l.startsWith("init_from ") && l.contains("01-norm")
        && l.contains("; 0 new") && l.contains("0 in the file unused"));
    assertThatThrownBy(() -> InitFrom.weights(tmp.resolve("nothing-here")))
        .isInstanceOf(UserException.class).hasMessageContaining("no finished pre-training stage");
  }

  @Test
  void aValidationSplitKeepsTheBestEpochAndDevIsNeverAsked() throws Exception {
    Path run = tmp.resolve("valid");
    Files.createDirectories(run);
    List<String> log = new ArrayList<>();
    // valid = the dev impressions here; the test checks the bookkeeping, not the data split
    NeuralRecommender rec = (NeuralRecommender) Nrms.SPEC.train(options(3, 0),
        new TrainContext(NeuralPipelineTest.train.head(120), null, NeuralPipelineTest.dev, 7, run, log::add,
            List.of(), null, run, 7, null, false));
    List<MetricsLog.Epoch> valid = MetricsLog.in(run).read().valid();
    assertThat(valid).extracting(MetricsLog.Epoch::epoch).containsExactly(1, 2, 3);
    MetricsLog.Epoch best = valid.stream().max((x, y) -> Double.compare(x.metrics().auc(), y.metrics().auc())).orElseThrow();
    MetricsResult now = Metrics.evaluate(NeuralPipelineTest.dev,
        Prediction.fromScores(NeuralPipelineTest.dev, scores(rec)));
    // the kept weights score the best epoch's validation AUC (4 decimals, as the log writes it)
    assertThat(Math.round(now.auc() * 1e4)).isEqualTo(Math.round(best.metrics().auc() * 1e4));
    assertThat(log).anyMatch(l -> l.contains("kept") && l.contains("best validation AUC"));
  }
}
