package dev.newsrec.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsrec.core.run.MetricsLog;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config keys of the model seam: pretraining stages, init_from, data.valid. */
class StageConfigTest {
  @TempDir static Path shared;
  static Path world;

  @TempDir Path tmp;

  @BeforeAll
  static void setUp() {
    world = shared.resolve("tiny");
    var w = CliTestSupport.run("data", "synth", "--out", world.toString(), "--preset", "tiny", "--seed", "1");
    assertThat(w.exitCode()).as(w.err()).isZero();
  }

  private CliTestSupport.Result train(String extra, String... sets) throws Exception {
    Path config = tmp.resolve("c.yaml");
    Files.writeString(config, "name: t\ndata:\n  train: " + world.resolve("train") + "\n  dev: "
        + world.resolve("dev") + "\nmodel:\n  type: nrms\n  word_dim: 16\n  heads: 2\n  head_dim: 8\n"
        + "  training: {batch_size: 16, epochs: 2}\n" + extra);
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", "--config",
        config.toString(), "--out", tmp.resolve("run").toString()));
    for (String s : sets) args.addAll(java.util.List.of("--set", s));
    return CliTestSupport.run(args.toArray(String[]::new));
  }

  @Test
  void badStageListsAreNamedBeforeAnythingRuns() throws Exception {
    var r = train("pretraining:\n  - stage: behaviour\n  - {steps: 3}\ninit_from: " + tmp.resolve("nope") + "\n",
        "data.valid=" + tmp.resolve("novalid"));
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("pretraining[1].stage: required")
        .contains("init_from: " + tmp.resolve("nope") + ": no such folder")
        .contains("data.valid: " + tmp.resolve("novalid") + ": no such folder");
    assertThat(tmp.resolve("run")).doesNotExist();
    var s = train("pretraining:\n  - stage: behaviour\n");
    assertThat(s.exitCode()).isEqualTo(2);
    assertThat(s.err()).contains("pretraining[0].stage: found 'behaviour', allowed none: model nrms has no pre-training stages");
    var notList = train("pretraining: 3\n");
    assertThat(notList.exitCode()).isEqualTo(2);
    assertThat(notList.err()).contains("pretraining: expected a list of stages");
  }

  @Test
  void theLastDayOfTrainHeldOutSelectsTheEpoch() throws Exception {
    var r = train("", "data.valid=last_day");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains("held out of train for validation").containsPattern("kept (epoch \\d|the last epoch)");
    var valid = MetricsLog.in(tmp.resolve("run")).read().valid();
    assertThat(valid).hasSize(2);
    assertThat(valid.get(0).metrics().impressions()).isGreaterThan(0);
    // the train split has 6 days: one held out, the rest trained on
    assertThat(r.err()).containsPattern("data: \\d+ news, \\d+ train impressions, 200 dev impressions, \\d+ validation impressions");
  }
}
