package dev.newsrec.app;

import dev.newsrec.nn.runtime.Experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsrec.core.config.ConfigTree;
import dev.newsrec.core.config.ExperimentConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every config under configs/ binds, paper configs name their source, and the docs page is current. */
class ConfigsTest {
  /** The repository root: tests run in the module folder. */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path CONFIGS = ROOT.resolve("configs");

  @TempDir Path tmp;

  @Test
  void everyConfigBindsWithItsModelsOptions() {
    List<Path> files = ConfigsCommand.files(CONFIGS);
    assertThat(files.stream().map(p -> CONFIGS.relativize(p).toString().replace('\\', '/')))
        .contains("nrms/mind-small.yaml", "nrms/mind-large.yaml", "nrms/synth.yaml",
            "plmnr/mind-small.yaml", "plmnr/mind-large.yaml", "plmnr/synth.yaml",
            "synth/random.yaml", "synth/popularity.yaml");
    Map<String, Path> names = new HashMap<>();
    for (Path f : files) {
      ExperimentConfig c = Experiment.validate(ConfigTree.load(f), false);
      Path other = names.put(c.name(), f);
      assertThat(other).as("name %s is used by %s and %s (run folders are named after it)", c.name(), other, f)
          .isNull();
    }
  }

  @Test
  void paperConfigsGiveAllFourMetricsAndTheirSource() {
    for (String row : List.of("nrms/mind-small.yaml", "nrms/mind-large.yaml", "plmnr/mind-small.yaml",
        "plmnr/mind-large.yaml")) {
      assertThat(ConfigTree.load(CONFIGS.resolve(row)).bind("", ExperimentConfig.class).expected())
          .as(row + ": a paper's table row needs expected values").isNotNull();
    }
    for (Path f : ConfigsCommand.files(CONFIGS)) {
      ExperimentConfig c = ConfigTree.load(f).bind("", ExperimentConfig.class);
      var e = c.expected();
      if (e == null) continue;
      assertThat(List.of(e.auc(), e.mrr(), e.ndcg5(), e.ndcg10())).as(f.toString()).doesNotContainNull()
          .allSatisfy(v -> assertThat(v).isBetween(20.0, 100.0));
      assertThat(e.source()).as(f + ": expected.source").matches("(PUNR|IP2) paper, Table \\d.*|measured here: .*");
    }
  }

  @Test
  void theExperimentsPageIsGeneratedFromTheConfigs() throws Exception {
    Path page = ROOT.resolve("docs/experiments.md");
    assertThat(page).exists();
    assertThat(Files.readString(page))
        .as("docs/experiments.md is out of date: run ./newsrec configs --write docs/experiments.md")
        .isEqualTo(ConfigsCommand.page(CONFIGS));
  }

  @Test
  void commandPrintsOneRowPerConfigAndWritesThePage() throws Exception {
    Path dir = tmp.resolve("configs/demo");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("a.yaml"), "name: a\ndata: {train: data/t, dev: data/d}\n"
        + "model: {type: popularity}\nexpected: {auc: 61.5, mrr: 30, tolerance: 0.25, source: 'X paper, Table 9 | row'}\n");
    Files.writeString(dir.resolve("b.yml"), "name: b\ndata: {train: data/t}\nmodel: {type: random}\n");
    Files.writeString(dir.resolve("notes.txt"), "not a config");

    var r = CliTestSupport.run("configs", "--dir", tmp.resolve("configs").toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("| config | name | model |")
        .contains("| `configs/demo/a.yaml` | a | `popularity` | `data/t` | `data/d` | 61.50 | 30.00 | - | - | 0.25 | X paper, Table 9 \\| row |")
        .contains("| `configs/demo/b.yml` | b | `random` | `data/t` | - | - | - | - | - | - | - |")
        .doesNotContain("notes");

    Path out = tmp.resolve("docs/experiments.md");
    var w = CliTestSupport.run("configs", "--dir", tmp.resolve("configs").toString(), "--write", out.toString());
    assertThat(w.exitCode()).as(w.err()).isZero();
    assertThat(w.out()).contains("2 configs");
    assertThat(Files.readString(out)).isEqualTo(r.out());
  }

  @Test
  void aBrokenConfigIsNamedAndNothingIsWritten() throws Exception {
    Path dir = tmp.resolve("configs");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("bad.yaml"), "name: bad\ndata: {train: t}\nmodel: {type: nrms, hedas: 4}\n");
    Path out = tmp.resolve("experiments.md");
    var r = CliTestSupport.run("configs", "--dir", dir.toString(), "--write", out.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("bad.yaml").contains("unknown key 'model.hedas'");
    assertThat(out).doesNotExist();
  }
}
