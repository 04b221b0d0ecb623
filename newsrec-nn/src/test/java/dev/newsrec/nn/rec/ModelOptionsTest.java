package dev.newsrec.nn.rec;

import dev.newsrec.nn.nrms.NrmsOptions;
import dev.newsrec.nn.plmnr.PlmNrOptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.newsrec.core.UserException;
import dev.newsrec.core.config.ConfigTree;
import dev.newsrec.core.config.ExperimentConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every numeric option of NRMS, PLM-NR and their training section has a range, checked at binding. */
class ModelOptionsTest {
  static final Function<String, Class<?>> MODELS = type -> Map.<String, Class<?>>of(
      "nrms", NrmsOptions.class, "plmnr", PlmNrOptions.class).get(type);

  @TempDir Path tmp;

  static ConfigTree config(String type, String... sets) {
    return ConfigTree.parse("name: n\ndata: {train: t}\nmodel: {type: " + type + "}\n", "c.yaml")
        .setAll(java.util.List.of(sets));
  }

  static String message(String type, String... sets) {
    try {
      config(type, sets).bindExperiment(MODELS, false);
    } catch (UserException e) {
      assertThat(e.getMessage()).as("no Java names in a user's message")
          .doesNotContain("java.", "Integer", "Double", "Cannot construct", "Exception", "dev.newsrec", "Options");
      return e.getMessage();
    }
    throw new AssertionError("no error for " + String.join(" ", sets));
  }

  @Test
  void theDefaultsAndTheShippedSettingsBind() {
    for (String type : new String[] {"nrms", "plmnr"}) {
      ExperimentConfig c = config(type).bindExperiment(MODELS, false);
      assertThat(c.modelType()).isEqualTo(type);
    }
    NrmsOptions o = ConfigTree.bind(config("nrms", "model.training.micro_batch=0", "model.training.batch_size=8")
        .bind("", ExperimentConfig.class).modelOptions(), "model", NrmsOptions.class, "c.yaml");
    assertThat(o.training().microBatch()).as("micro_batch 0 = batch_size").isEqualTo(8);
    assertThat(config("plmnr", "model.trainable_layers=0", "model.cache_frozen=true",
        "model.training.learning_rate=0", "model.training.warmup=1", "model.dropout=0").bindExperiment(MODELS, false))
        .isNotNull();
  }

  @Test
  void theReportedCasesNameTheirKeyAndRange() {
    assertThat(message("nrms", "model.training.learning_rate=-1"))
        .isEqualTo("config c.yaml: model.training.learning_rate: found -1, allowed range [0, 1]");
    assertThat(message("plmnr", "model.training.warmup=2"))
        .isEqualTo("config c.yaml: model.training.warmup: found 2, allowed range [0, 1]");
    assertThat(message("nrms", "model.dropout=1.5"))
        .isEqualTo("config c.yaml: model.dropout: found 1.5, allowed range [0, 1)");
    assertThat(message("plmnr", "model.title_tokens=0"))
        .isEqualTo("config c.yaml: model.title_tokens: found 0, allowed range [3, 512]");
    assertThat(message("nrms", "model.heads=0"))
        .isEqualTo("config c.yaml: model.heads: found 0, allowed >= 1");
    assertThat(message("nrms", "model.training.batch_size=-4"))
        .as("a default micro_batch is batch_size itself: only batch_size is blamed")
        .isEqualTo("config c.yaml: model.training.batch_size: found -4, allowed >= 1");
    assertThat(message("plmnr", "model.training.batch_size=3.5"))
        .isEqualTo("config c.yaml: model.training.batch_size: expected an integer, found '3.5'");
    assertThat(message("nrms", "model.heads=four"))
        .isEqualTo("config c.yaml: model.heads: expected an integer, found 'four'");
  }

  @Test
  void everyNumericOptionHasARange() {
    String[][] cases = {
        {"nrms", "model.word_dim=0", "model.word_dim: found 0, allowed >= 1"},
        {"nrms", "model.head_dim=-1", "model.head_dim: found -1, allowed >= 1"},
        {"nrms", "model.query_dim=0", "model.query_dim: found 0, allowed >= 1"},
        {"nrms", "model.title_tokens=600", "model.title_tokens: found 600, allowed range [3, 512]"},
        {"nrms", "model.dropout=-0.1", "model.dropout: found -0.1, allowed range [0, 1)"},
        {"nrms", "model.device=tpu", "model.device: found 'tpu', allowed cpu, gpu, gpu:N, cuda or cuda:N"},
        {"nrms", "model.plm=''", "model.plm: required ('minilm' or a Hugging Face model folder)"},
        {"nrms", "model.init_from_plm=yes please", "model.init_from_plm: expected true or false, found 'yes please'"},
        {"plmnr", "model.plm_layers=-1", "model.plm_layers: found -1, allowed >= 0"},
        {"plmnr", "model.trainable_layers=-2", "model.trainable_layers: found -2, allowed >= -1"},
        {"plmnr", "model.user_heads=0", "model.user_heads: found 0, allowed >= 1"},
        {"plmnr", "model.query_dim=-5", "model.query_dim: found -5, allowed >= 1"},
        {"plmnr", "model.dropout=1", "model.dropout: found 1, allowed range [0, 1)"},
        {"plmnr", "model.cache_frozen=true", "model.cache_frozen: true needs trainable_layers >= 0"},
        {"plmnr", "model.training.negatives=0", "model.training.negatives: found 0, allowed >= 1"},
        {"plmnr", "model.training.epochs=0", "model.training.epochs: found 0, allowed >= 1"},
        {"plmnr", "model.training.micro_batch=-2", "model.training.micro_batch: found -2, allowed >= 0 (0 = batch_size)"},
        {"plmnr", "model.training.plm_learning_rate=2", "model.training.plm_learning_rate: found 2, allowed range [0, 1]"},
        {"plmnr", "model.training.weight_decay=-0.01", "model.training.weight_decay: found -0.01, allowed range [0, 1]"},
        {"plmnr", "model.training.grad_clip=-1", "model.training.grad_clip: found -1, allowed a finite number >= 0"},
        {"plmnr", "model.history.max=0", "model.history.max: found 0, allowed >= 1"},
        {"nrms", "model.training.max_history=30", "key 'model.training.max_history' has moved: write it as 'model.history.max'"},
        {"plmnr", "model.training.eval_batch=0", "model.training.eval_batch: found 0, allowed >= 1"},
        {"plmnr", "model.training.log_every=0", "model.training.log_every: found 0, allowed >= 1"},
        {"plmnr", "model.history.policy=newest",
            "model.history.policy: found 'newest', allowed one of: recent, oldest"},
        {"plmnr", "model.training.history_policy=oldest",
            "key 'model.training.history_policy' has moved: write it as 'model.history.policy'"},
        {"plmnr", "model.training.learning_rate=.nan", "model.training.learning_rate: expected a number, found '.nan'"},
    };
    for (String[] c : cases) {
      assertThat(message(c[0], c[1])).as(c[1]).startsWith("config c.yaml: " + c[2]);
    }
    assertThat(message("plmnr", "model.plm_layers=2", "model.trainable_layers=3"))
        .contains("model.trainable_layers: found 3, allowed -1 (all) to plm_layers 2");
    assertThat(message("nrms", "model.training.batch_size=16", "model.training.micro_batch=5"))
        .contains("model.training.micro_batch: found 5, allowed a divisor of batch_size 16 (or 0 = batch_size)");
  }

  @Test
  void allProblemsOfTheModelAndTheRestComeInOneMessage() {
    String m = message("nrms", "seed=1.5", "data.max_train_impressions=-1", "model.heads=0",
        "model.dropout=1.5", "model.training.batch_size=3.5", "model.training.learning_rate=-1",
        "model.training.warmup=2", "model.hedas=4");
    assertThat(m.split("\n")).hasSize(9).startsWith("config c.yaml: 8 problems:");
    assertThat(m).contains("  seed: expected an integer, found '1.5'", "  data.max_train_impressions: found -1",
        "  model.heads: found 0", "  model.dropout: found 1.5", "  model.training.batch_size: expected an integer",
        "  model.training.learning_rate: found -1", "  model.training.warmup: found 2",
        "  unknown key 'model.hedas' (known keys there: device, dropout, head_dim, heads, "
            + "history, init_from_plm, plm, query_dim, title_tokens, training, word_dim)");
  }

  @Test
  void aPlmFolderMustExistBeforeTheRunStarts() {
    ConfigTree c = config("plmnr", "model.plm=" + tmp.resolve("bert"), "data.train=" + tmp);
    assertThatThrownBy(() -> c.bindExperiment(MODELS, true)).isInstanceOf(UserException.class)
        .hasMessageContaining("model.plm: " + tmp.resolve("bert") + ": no such folder");
    assertThat(config("nrms", "model.plm=MiniLM").bindExperiment(MODELS, false)).isNotNull();
  }
}
