package dev.newsrec.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.newsrec.core.UserException;
import dev.newsrec.core.baseline.PopularityRecommender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config binding: every problem at once, with its key, the value found and what is allowed. */
class ConfigTreeTest {
  /** Model types of the core baselines; the neural ones are tested in newsrec-nn. */
  static final Function<String, Class<?>> MODELS = type -> {
    Class<?> c = Map.<String, Class<?>>of("popularity", PopularityRecommender.Options.class).get(type);
    if (c == null) throw new UserException("unknown model.type '" + type + "' (known: popularity)");
    return c;
  };

  @TempDir Path tmp;

  static String message(ConfigTree tree) {
    try {
      tree.bindExperiment(MODELS, false);
    } catch (UserException e) {
      assertThat(e.getMessage()).as("no Java names in a user's message")
          .doesNotContain("java.", "Integer", "Long", "Double", "Cannot construct", "Exception", "dev.newsrec");
      return e.getMessage();
    }
    throw new AssertionError("no error for " + tree.toYaml());
  }

  static ConfigTree popularity(String extra) {
    return ConfigTree.parse("name: p\ndata: {train: t, dev: d}\nmodel: {type: popularity}\n" + extra, "test.yaml");
  }

  @Test
  void aValidConfigBindsWithItsDefaults() {
    ExperimentConfig c = popularity("").bindExperiment(MODELS, false);
    assertThat(c.seed()).isEqualTo(42L);
    assertThat(c.data().maxTrainImpressions()).isZero();
    assertThat(c.data().lenient()).isFalse();
    assertThat(ConfigTree.bind(c.modelOptions(), "model", PopularityRecommender.Options.class, "x")
        .recencyHalfLifeHours()).isZero();
  }

  @Test
  void outOfRangeValuesNameTheKeyTheValueAndTheAllowedRange() {
    assertThat(message(popularity("").set("data.max_train_impressions=-1")))
        .isEqualTo("config test.yaml: data.max_train_impressions: found -1, allowed >= 0");
    assertThat(message(popularity("").set("model.recency_half_life_hours=-2.5")))
        .isEqualTo("config test.yaml: model.recency_half_life_hours: found -2.5, allowed a finite number >= 0");
    assertThat(message(popularity("expected: {auc: 150, tolerance: -1}\n")))
        .contains("expected.auc: found 150, allowed range [0, 100]")
        .contains("expected.tolerance: found -1, allowed range [0, 100]");
  }

  @Test
  void aNumberWithAFractionIsNotAnInteger() {
    assertThat(message(popularity("").set("data.max_train_impressions=3.5")))
        .isEqualTo("config test.yaml: data.max_train_impressions: expected an integer, found '3.5'");
    assertThat(message(popularity("").set("seed=7.0"))).contains("seed: expected an integer, found '7.0'");
    assertThat(message(popularity("").set("data.lenient=1"))).contains("data.lenient: expected true or false, found '1'");
    assertThat(message(popularity("").set("model.recency_half_life_hours=soon")))
        .contains("model.recency_half_life_hours: expected a number, found 'soon'");
    assertThat(message(popularity("").set("data.train=[a, b]"))).contains("data.train: expected a text value, found a list");
    assertThat(message(popularity("").set("data=here")))
        .contains("data: expected a section of key: value lines, found 'here'");
  }

  @Test
  void numbersWrittenAsTextAreRead() {
    ExperimentConfig c = popularity("").set("seed='9'").set("data.max_train_impressions='12'")
        .bindExperiment(MODELS, false);
    assertThat(c.seed()).isEqualTo(9L);
    assertThat(c.data().maxTrainImpressions()).isEqualTo(12);
  }

  @Test
  void everyProblemOfAConfigIsReportedAtOnceOneLineEach() {
    String m = message(ConfigTree.parse("name: ''\nseed: x\ndata: {max_train_impressions: -3, lenient: maybe}\n"
        + "model: {type: popularity, recency_half_life_hours: -1, colour: red}\nexpected: {auc: 101}\n", "all.yaml"));
    assertThat(m.split("\n")).containsExactlyInAnyOrder(
        "config all.yaml: 8 problems:",
        "  seed: expected an integer, found 'x'",
        "  data.lenient: expected true or false, found 'maybe'",
        "  data.train: required (a MIND split folder with news.tsv and behaviors.tsv)",
        "  data.max_train_impressions: found -3, allowed >= 0",
        "  expected.auc: found 101, allowed range [0, 100]",
        "  name: required (the run folder is named after it)",
        "  unknown key 'model.colour' (known keys there: recency_half_life_hours)",
        "  model.recency_half_life_hours: found -1, allowed a finite number >= 0");
  }

  @Test
  void missingSectionsAndFieldsAreNamed() {
    assertThat(message(ConfigTree.parse("seed: 1\n", "empty.yaml")).split("\n")).containsExactlyInAnyOrder(
        "config empty.yaml: 3 problems:",
        "  name: required (the run folder is named after it)",
        "  data: required (a section with at least data.train)",
        "  model: required (a section with at least model.type)");
    assertThat(message(ConfigTree.parse("name: n\ndata: {dev: d}\nmodel: {plm: minilm}\n", "t.yaml")))
        .contains("data.train: required").contains("model.type: required");
  }

  @Test
  void anUnknownModelTypeIsOneOfTheProblems() {
    assertThat(message(popularity("").set("model.type=populariti").set("seed=x")))
        .contains("2 problems").contains("unknown model.type 'populariti' (known: popularity)")
        .contains("seed: expected an integer");
  }

  @Test
  void anUnknownKeyListsTheKnownKeysAndSetOverrides() {
    assertThat(message(popularity("").set("data.tarin=x")))
        .isEqualTo("config test.yaml: unknown key 'data.tarin' (known keys there: dev, lenient, "
            + "max_train_impressions, train, valid)");
    assertThat(message(popularity("").set("nmae=x"))).contains("unknown key 'nmae' (known keys there: data, "
        + "description, expected, init_from, model, name, pretraining, pretraining_per_seed, seed)");
    ExperimentConfig c = popularity("seed: 3\n").set("seed=5").set("data.dev=other").bindExperiment(MODELS, false);
    assertThat(c.seed()).isEqualTo(5L);
    assertThat(c.data().dev()).isEqualTo("other");
  }

  @Test
  void brokenYamlGivesTheFileLineAndColumn() throws Exception {
    Path f = tmp.resolve("bad.yaml");
    Files.writeString(f, "name: x\ndata:\n  train: [a, b\n  dev: d\n");
    assertThatThrownBy(() -> ConfigTree.load(f)).isInstanceOf(UserException.class)
        .hasMessageStartingWith("config " + f + ":4:6: not valid YAML: expected ',' or ']'")
        .hasMessageContaining("line 3, column 10")
        .hasMessageNotContaining("\n").hasMessageNotContaining("Exception");
    Files.writeString(f, "name: x\n\tseed: 1\n");
    assertThatThrownBy(() -> ConfigTree.load(f)).hasMessageStartingWith("config " + f + ":2:1: not valid YAML:");
    assertThatThrownBy(() -> ConfigTree.parse("a: 'open\n", "s.yaml"))
        .hasMessageStartingWith("config s.yaml:2:1: not valid YAML: found unexpected end of stream");
  }

  @Test
  void aKeyGivenTwiceIsAnErrorNamingTheKeyAndBothLines() throws Exception {
    Path f = tmp.resolve("dup.yaml");
    Files.writeString(f, "name: x\nmodel:\n  type: popularity\n  training:\n    epochs: 2\n    lr: 1\n"
        + "    epochs: 3\nname: y\nlist: [{a: 1}, {a: 2}]\n");
    assertThatThrownBy(() -> ConfigTree.load(f)).isInstanceOf(UserException.class)
        .hasMessage("config " + f + ": 2 problems:\n"
            + "  key 'model.training.epochs' is given twice, at lines 5 and 7 (keep one)\n"
            + "  key 'name' is given twice, at lines 1 and 8 (keep one)");
  }

  @Test
  void aByteOrderMarkBeforeTheFirstKeyIsNotPartOfIt() throws Exception {
    Path f = tmp.resolve("bom.yaml");
    Files.writeString(f, "\uFEFFname: x\ndata: {train: t}\nmodel: {type: popularity}\n");
    assertThat(ConfigTree.load(f).bindExperiment(MODELS, false).name()).isEqualTo("x");
  }

  @Test
  void theDataFoldersMustExistAndHoldASplitBeforeAnyDataIsRead() throws Exception {
    Path train = split(tmp.resolve("train"));
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    ConfigTree ok = popularity("").set("data.train=" + train).set("data.dev=" + train);
    assertThat(ok.bindExperiment(MODELS, true).data().train()).isEqualTo(train.toString());

    ConfigTree bad = popularity("").set("data.train=" + tmp.resolve("nowhere")).set("data.dev=" + file);
    assertThatThrownBy(() -> bad.bindExperiment(MODELS, true)).isInstanceOf(UserException.class)
        .hasMessageContaining("2 problems")
        .hasMessageContaining("data.train: " + tmp.resolve("nowhere") + ": no such folder")
        .hasMessageContaining("data.dev: " + file + ": is a file, expected a folder");
    assertThatThrownBy(() -> popularity("").set("data.train=" + empty).set("data.dev=" + train).bindExperiment(MODELS, true))
        .hasMessageStartingWith("config test.yaml: data.train: ").hasMessageContaining("news.tsv");
    // Listing a config written for another machine does not need its data.
    assertThat(bad.bindExperiment(MODELS, false).name()).isEqualTo("p");
  }

  @Test
  void relativeDataFoldersSayWhereTheyWereLookedFor() {
    assertThatThrownBy(() -> popularity("").bindExperiment(MODELS, true))
        .hasMessageContaining("data.train: t: no such folder (relative to " + Path.of("").toAbsolutePath() + ")");
  }

  /** A one-impression MIND split. */
  static Path split(Path dir) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("news.tsv"), "N1\tsports\tsoccer\tA title\t\t\t[]\t[]\n"
        + "N2\tnews\tworld\tAnother title\t\t\t[]\t[]\n");
    Files.writeString(dir.resolve("behaviors.tsv"), "1\tU1\t11/11/2019 9:05:58 AM\tN1\tN1-1 N2-0\n");
    return dir;
  }
}
