package dev.newsrec.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsrec.nn.model.NewsInputs;
import dev.newsrec.nn.plm.weights.PretrainedPlm;
import dev.newsrec.nn.rec.NceBatch;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IP2 bench's inputs, and the bench itself on a tiny setting; no timing is asserted. */
class Ip2TrainBenchTest {
  @Test
  void theFineTuningWorldHasDistinctNewsPerUserFullTitlesAndTheWholeEntityTable() {
    Ip2TrainBench.World w = Ip2TrainBench.world(false, 3, 8, 4, 12, 40, PretrainedPlm.tokenizer("minilm"));
    NewsInputs step = w.step();
    assertThat(step.size()).isEqualTo(3 * (1 + Ip2TrainBench.NEGATIVES + 4));
    for (int n = 0; n < step.size(); n++) {
      assertThat(step.titles().ids(n)).hasSize(12);
      assertThat(step.entities(n).length).isBetween(0, Ip2TrainBench.MAX_TITLE_ENTITIES);
    }
    // the fillers carry every other id: the memory is sized from all 40
    assertThat(w.tables().entityIds()).hasSize(40);
    assertThat(new HashSet<>(w.tables().entityIds())).containsAll(step.entityIds());
    NceBatch b = w.batch();
    Set<Integer> seen = new HashSet<>();
    for (int u = 0; u < b.size(); u++) {
      assertThat(b.candidates()[u]).hasSize(1 + Ip2TrainBench.NEGATIVES);
      assertThat(b.history()[u]).hasSize(4);
      for (int r : b.candidates()[u]) assertThat(seen.add(r)).isTrue();
      for (int r : b.history()[u]) assertThat(seen.add(r)).isTrue();
      assertThat(b.targets()[u]).isBetween(0, Ip2TrainBench.NEGATIVES);
    }
    assertThat(seen).hasSize(step.size());
  }

  @Test
  void theContrastiveWorldGivesEveryNewsAnEntity() {
    Ip2TrainBench.World w = Ip2TrainBench.world(true, 3, 8, 4, 12, 40, PretrainedPlm.tokenizer("minilm"));
    assertThat(w.step().size()).isEqualTo(8);
    assertThat(w.batch()).isNull();
    for (int n = 0; n < 8; n++) assertThat(w.step().entities(n).length).isBetween(1, Ip2TrainBench.MAX_TITLE_ENTITIES);
  }

  @Test
  void everySettingRunsOnATinySettingAndAgreesWithThePyTorchReferenceWhenItIsInstalled(@TempDir Path dir)
      throws Exception {
    String home = System.getProperty("newsrec.home");
    System.setProperty("newsrec.home", Path.of("..").toAbsolutePath().normalize().toString());
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      boolean reference = TorchReference.unavailable().isEmpty();
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      for (String stage : Ip2TrainBench.STAGES) {
        Ip2TrainBench.main(new String[] {stage, "1", "1", "4", "3", "10", "50", "1", "2",
            Boolean.toString(reference), dir.resolve(stage).toString()});
      }
      System.setOut(old);
      String text = out.toString(StandardCharsets.UTF_8);
      for (String stage : Ip2TrainBench.STAGES) {
        assertThat(Files.isRegularFile(dir.resolve(stage).resolve("index.json"))).isTrue();
      }
      assertThat(Files.readString(dir.resolve("finetune").resolve("index.json")))
          .contains("\"input.title_hidden\"", "\"input.history\"", "\"param.news.entity.entity_memory\"");
      assertThat(Files.readString(dir.resolve("all").resolve("index.json")))
          .contains("\"input.title_ids\"").doesNotContain("title_hidden");
      assertThat(text).contains("ip2 [fine-tuning, MiniLM frozen", "ip2 [contrastive stage",
          "newsrec peak RSS", "watch ip2 [fine-tuning, MiniLM frozen, cached outputs]: step 2: RSS");
      if (reference) {
        assertThat(text.split("\\): agree", -1)).hasSize(Ip2TrainBench.STAGES.size() + 1);
        assertThat(text).doesNotContain("DISAGREE").contains("ratio", "pytorch peak RSS");
      }
    } finally {
      System.setOut(old);
      if (home == null) System.clearProperty("newsrec.home");
      else System.setProperty("newsrec.home", home);
    }
  }
}
