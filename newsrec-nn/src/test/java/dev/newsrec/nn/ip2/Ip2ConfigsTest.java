package dev.newsrec.nn.ip2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.newsrec.core.UserException;
import dev.newsrec.core.config.ConfigTree;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * configs/ip2/*.yaml: the model section binds to {@link Ip2Options} and each pretraining entry to
 * its stage's options (until the shared runner binds them itself); the paper configs keep the
 * paper's settings.
 */
class Ip2ConfigsTest {
  static final Path DIR = Path.of("..").toAbsolutePath().normalize().resolve("configs/ip2");

  static Ip2Options model(ConfigTree tree) {
    JsonNode m = tree.at("model").deepCopy();
    assertThat(m.get("type").asText()).isEqualTo("ip2");
    ((com.fasterxml.jackson.databind.node.ObjectNode) m).remove("type");
    return ConfigTree.bind(m, "model", Ip2Options.class, tree.source());
  }

  static ContrastiveOptions stage(ConfigTree tree) {
    JsonNode list = tree.at("pretraining");
    assertThat(list.isArray() && list.size() == 1).as(tree.source()).isTrue();
    assertThat(Ip2.MODEL.stages().stream().map(s -> s.name())).contains(list.get(0).get("stage").asText());
    return ConfigTree.bind(list.get(0), "pretraining[0]", ContrastiveOptions.class, tree.source());
  }

  @Test
  void everyIp2ConfigBindsItsModelAndItsStage() {
    for (String f : List.of("synth.yaml", "mind-small.yaml", "mind-large.yaml")) {
      ConfigTree tree = ConfigTree.load(DIR.resolve(f));
      model(tree);
      stage(tree);
    }
  }

  @Test
  void thePaperConfigsKeepThePapersSettings() {
    for (String f : List.of("mind-small.yaml", "mind-large.yaml")) {
      ConfigTree tree = ConfigTree.load(DIR.resolve(f));
      Ip2Options o = model(tree);
      Ip2Options d = Ip2Options.defaults();
      assertThat(o.newsDim()).isEqualTo(d.newsDim());
      assertThat(o.entityDim()).isEqualTo(d.entityDim());
      assertThat(o.seeLayers()).isEqualTo(2);
      assertThat(o.userHeads()).isEqualTo(20);
      assertThat(o.crossAttention()).isTrue();
      assertThat(o.aggregation()).isEqualTo(Ip2Options.LEARNED);
      assertThat(o.trainableLayers()).isEqualTo(-1);
      assertThat(o.training().batchSize()).isEqualTo(64);
      assertThat(o.training().learningRate()).isEqualTo(1e-4);
      assertThat(o.training().plmLearningRate()).isEqualTo(1e-5);
      ContrastiveOptions s = stage(tree);
      assertThat(s).usingRecursiveComparison().ignoringFields("training").isEqualTo(ContrastiveOptions.defaults());
      assertThat(s.training().epochs()).isEqualTo(2);
      assertThat(s.training().batchSize()).isEqualTo(128);
      assertThat(s.training().micro()).isEqualTo(128);
    }
  }

  @Test
  void aBadKeyIsNamed() {
    ConfigTree tree = ConfigTree.parse("model: {type: ip2, aggregation: sum, see_hedas: 4}\n", "bad.yaml");
    assertThatThrownBy(() -> model(tree)).isInstanceOf(UserException.class).hasMessageContaining("see_hedas");
    ConfigTree temp = ConfigTree.parse("model: {type: ip2, aggregation: sum}\n", "bad.yaml");
    assertThatThrownBy(() -> model(temp)).isInstanceOf(UserException.class).hasMessageContaining("model.aggregation");
  }
}
