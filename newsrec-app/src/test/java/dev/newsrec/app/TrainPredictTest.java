package dev.newsrec.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole loop on a hand-written MIND-format fixture: train, predict, run folder contents. */
class TrainPredictTest {
  static final Path FIXTURE = Path.of("src/test/resources/mind-fixture").toAbsolutePath();
  static final Path CONFIG = Path.of("../configs/synth/popularity.yaml").toAbsolutePath();

  @TempDir Path tmp;

  @Test
  void popularityTrainsPredictsAndWritesARunFolder() throws Exception {
    Path run = tmp.resolve("run");
    var r = CliTestSupport.run("train", "--config", CONFIG.toString(),
        "--set", "data.train=" + FIXTURE.resolve("train"),
        "--set", "data.dev=" + FIXTURE.resolve("dev"), "--out", run.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    for (String f : new String[] {"config.yaml", "provenance.json", "metrics.jsonl",
        "prediction.txt", "report.md", "model/popularity.tsv"}) {
      assertThat(run.resolve(f)).exists();
    }
    // Train clicks: N4 x3, N1 x2. Dev impression 10: N6 0, N7 0, N4 3 -> ranks [2,3,1].
    assertThat(Files.readAllLines(run.resolve("prediction.txt")))
        .containsExactly("10 [2,3,1]", "11 [3,1,4,2]", "12 [1,2]");
    // Metrics of the written ranks, as evaluate computes them from prediction.txt. Impression 10:
    // the click N6 ties with N7 in score but is written above it (rank 2 of 3, N4 rank 1): AUC
    // 0.5 (the scores alone would give 0.25, the tie counting 1/2); impression 11: the click N4 is
    // above all three: AUC 1. Impression 12 has no click and is skipped. Mean AUC 75.00.
    assertThat(r.out()).contains("75.00");
    // the same by clicks in the history, in the log, metrics.jsonl and the report
    assertThat(r.err()).contains("dev by clicks in the user's history:");
    var by = dev.newsrec.core.run.MetricsLog.in(run).read().finalByHistory();
    assertThat(by.buckets()).hasSize(6);
    assertThat(by.buckets().stream().mapToLong(b -> b.metrics().total()).sum()).isEqualTo(3);
    assertThat(Files.readString(run.resolve("report.md"))).contains("By clicks in the user's history")
        .contains("| clicks in history | AUC |");
    assertThat(Files.readString(run.resolve("config.yaml"))).contains("recency_half_life_hours");
    assertThat(Files.readString(run.resolve("provenance.json"))).contains("dataSha256")
        .contains("behaviors.tsv").contains("\"seed\" : 42");
    assertThat(Files.readString(run.resolve("metrics.jsonl"))).contains("\"auc\":0.7500");

    Path pred = tmp.resolve("p.zip");
    var p = CliTestSupport.run("predict", "--run", run.toString(), "--data",
        FIXTURE.resolve("dev").toString(), "--out", pred.toString());
    assertThat(p.exitCode()).as(p.err()).isZero();
    assertThat(pred).exists();
    assertThat(p.out()).contains("75.00");
  }

  @Test
  void unknownConfigKeyIsAClearError() {
    var r = CliTestSupport.run("train", "--config", CONFIG.toString(),
        "--set", "model.half_life=3", "--out", tmp.resolve("x").toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("unknown key 'model.half_life'").contains("recency_half_life_hours");
    assertThat(tmp.resolve("x")).doesNotExist();
  }

  @Test
  void missingDataFolderIsAClearError() {
    var r = CliTestSupport.run("train", "--config", CONFIG.toString(),
        "--set", "data.train=/nonexistent/train", "--out", tmp.resolve("y").toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("/nonexistent/train: no such folder");
  }

  @Test
  void seedsAndCompare() throws Exception {
    String[] data = {"--set", "data.train=" + FIXTURE.resolve("train"), "--set",
        "data.dev=" + FIXTURE.resolve("dev")};
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    var ra = CliTestSupport.run(concat(new String[] {"train", "--config",
        CONFIG.resolveSibling("random.yaml").toString(), "--seeds", "2", "--out", a.toString()}, data));
    assertThat(ra.exitCode()).as(ra.err()).isZero();
    assertThat(a.resolve("seed-42/prediction.txt")).exists();
    assertThat(a.resolve("seed-43/prediction.txt")).exists();
    assertThat(ra.out()).contains("mean +- std over 2 seeds");
    var rb = CliTestSupport.run(concat(new String[] {"train", "--config", CONFIG.toString(),
        "--seeds", "2", "--out", b.toString()}, data));
    assertThat(rb.exitCode()).as(rb.err()).isZero();
    var c = CliTestSupport.run("compare", a.toString(), b.toString());
    assertThat(c.exitCode()).as(c.err()).isZero();
    // Popularity is deterministic: B's AUC is 75.00 on both seeds, so its std is 0.
    assertThat(c.out()).containsPattern("AUC\\s+\\S+ \\+- \\S+\\s+75.00 \\+- 0.00").contains("t-test p").contains("(2 seeds)");
  }

  @Test
  void reproduceChecksExpectedMetrics() throws Exception {
    Path config = tmp.resolve("pop.yaml");
    Files.writeString(config, "name: pop-fixture\ndata:\n  train: " + FIXTURE.resolve("train")
        + "\n  dev: " + FIXTURE.resolve("dev") + "\nmodel:\n  type: popularity\nexpected:\n"
        + "  auc: 74.9\n  mrr: 80\n  tolerance: 0.5\n");
    var r = CliTestSupport.run("reproduce", config.toString(), "--runs", tmp.resolve("runs").toString());
    // AUC 75.00 is within 0.5 of 74.9; MRR 75.00 is not within 0.5 of 80.
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).containsPattern("AUC\\s+75.00\\s+74.90\\s+0.50\\s+OK")
        .containsPattern("MRR\\s+75.00\\s+80.00\\s+0.50\\s+FAIL").contains("1 check(s) FAIL");
  }

  @Test
  void plmnrTrainsAndPredictsOnUnseenShapesOfData() throws Exception {
    // The fixture has an empty history, news without entities, words MiniLM splits into pieces,
    // and dev news absent from dev/news.tsv: none of it may break the neural path.
    Path run = tmp.resolve("plmnr");
    var r = CliTestSupport.run("train", "--config",
        CONFIG.resolveSibling("../plmnr/synth.yaml").normalize().toString(),
        "--set", "data.train=" + FIXTURE.resolve("train"), "--set", "data.dev=" + FIXTURE.resolve("dev"),
        "--set", "model.trainable_layers=0", "--set", "model.training.batch_size=2",
        "--set", "model.training.epochs=1", "--out", run.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(run.resolve("model/weights.bin")).exists();
    assertThat(Files.readAllLines(run.resolve("prediction.txt"))).hasSize(3);
    assertThat(Files.readString(run.resolve("metrics.jsonl"))).contains("\"loss\"").contains("\"stage\":\"final\"");
    Path pred = tmp.resolve("plmnr-prediction.txt");
    var p = CliTestSupport.run("predict", "--run", run.toString(), "--data",
        FIXTURE.resolve("train").toString(), "--out", pred.toString());
    assertThat(p.exitCode()).as(p.err()).isZero();
    assertThat(Files.readAllLines(pred)).hasSize(4).allMatch(l -> l.matches("\\d+ \\[[0-9,]+\\]"));
  }

  private static String[] concat(String[] x, String[] y) {
    String[] out = java.util.Arrays.copyOf(x, x.length + y.length);
    System.arraycopy(y, 0, out, x.length, y.length);
    return out;
  }

  @Test
  void predictWritesRawScoresWhoseOrderGivesTheWrittenRanks() throws Exception {
    Path run = tmp.resolve("run-scores");
    var r = CliTestSupport.run("train", "--config", CONFIG.toString(),
        "--set", "data.train=" + FIXTURE.resolve("train"),
        "--set", "data.dev=" + FIXTURE.resolve("dev"), "--out", run.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    Path pred = tmp.resolve("p.txt");
    Path scores = tmp.resolve("scores.tsv");
    var p = CliTestSupport.run("predict", "--run", run.toString(), "--data",
        FIXTURE.resolve("dev").toString(), "--out", pred.toString(), "--scores", scores.toString());
    assertThat(p.exitCode()).as(p.err()).isZero();
    var predLines = Files.readAllLines(pred);
    var scoreLines = Files.readAllLines(scores);
    assertThat(scoreLines).hasSameSizeAs(predLines);
    // Train clicks: N4 x3, N1 x2; impression 10's candidates N6, N7, N4 score 0, 0, 3.
    assertThat(scoreLines.get(0)).isEqualTo("10\t0.0 0.0 3.0");
    for (int i = 0; i < scoreLines.size(); i++) {
      String[] idAndScores = scoreLines.get(i).split("\t");
      String[] ranks = predLines.get(i).replaceAll(".*\\[|\\]", "").split(",");
      assertThat(predLines.get(i)).startsWith(idAndScores[0] + " ");
      String[] s = idAndScores[1].split(" ");
      assertThat(s).hasSameSizeAs(ranks);
      // rank = 1 + candidates scoring higher + earlier candidates scoring the same
      for (int a = 0; a < s.length; a++) {
        int rank = 1;
        for (int b = 0; b < s.length; b++) {
          float x = Float.parseFloat(s[a]);
          float y = Float.parseFloat(s[b]);
          if (y > x || (y == x && b < a)) rank++;
        }
        assertThat(Integer.parseInt(ranks[a])).isEqualTo(rank);
      }
    }
  }

  @Test
  void aModelFolderLoadsByItselfAndRefusesChangedFiles() throws Exception {
    Path run = tmp.resolve("run-manifest");
    var r = CliTestSupport.run("train", "--config", CONFIG.toString(),
        "--set", "data.train=" + FIXTURE.resolve("train"),
        "--set", "data.dev=" + FIXTURE.resolve("dev"), "--out", run.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    // The model folder alone, away from its run's config.yaml.
    Path alone = tmp.resolve("alone");
    Files.createDirectories(alone);
    try (var files = Files.list(run.resolve("model"))) {
      for (Path f : files.toList()) Files.copy(f, alone.resolve(f.getFileName()));
    }
    var manifest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(alone.resolve("manifest.json").toFile());
    assertThat(manifest.get("type").asText()).isEqualTo("popularity");
    assertThat(manifest.get("files").has("popularity.tsv")).isTrue();
    assertThat(manifest.get("provenance").get("seed").asInt()).isEqualTo(42);
    var model = dev.newsrec.nn.ModelManifest.load(alone);
    var folder = dev.newsrec.core.mind.MindFolder.of(FIXTURE.resolve("dev"));
    var read = dev.newsrec.core.mind.ReadOptions.STRICT;
    var corpus = dev.newsrec.core.mind.MindFolder.corpus(List.of(folder), read, new java.util.ArrayList<>());
    var split = folder.impressions(corpus, read, new java.util.ArrayList<>());
    // Dev impression 10: N6 0, N7 0, N4 3 clicks in train (the run's own prediction ranks them [2,3,1]).
    float[] scores = model.score(split);
    assertThat(scores).hasSize(split.totalCandidates());
    assertThat(new float[] {scores[0], scores[1], scores[2]}).containsExactly(0f, 0f, 3f);
    Files.writeString(alone.resolve("popularity.tsv"), "tampered\n", java.nio.file.StandardOpenOption.APPEND);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.newsrec.nn.ModelManifest.load(alone))
        .isInstanceOf(dev.newsrec.core.UserException.class).hasMessageContaining("popularity.tsv")
        .hasMessageContaining("changed since the model was saved");
  }

  @Test
  void predictWritesNewsVectorsStampedWithTheModelChecksum() throws Exception {
    Path run = tmp.resolve("run-nrms");
    var r = CliTestSupport.run("train", "--config", Path.of("../configs/nrms/synth.yaml").toAbsolutePath().toString(),
        "--set", "data.train=" + FIXTURE.resolve("train"), "--set", "data.dev=" + FIXTURE.resolve("dev"),
        "--set", "model.word_dim=16", "--set", "model.heads=2", "--set", "model.head_dim=8",
        "--set", "model.query_dim=8", "--set", "model.training.batch_size=4", "--out", run.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    Path vectors = tmp.resolve("news.vec");
    var p = CliTestSupport.run("predict", "--run", run.toString(), "--data", FIXTURE.resolve("dev").toString(),
        "--out", tmp.resolve("p.txt").toString(), "--vectors", vectors.toString());
    assertThat(p.exitCode()).as(p.err()).isZero();
    String checksum = dev.newsrec.nn.ModelManifest.checksum(run.resolve("model"));
    var read = dev.newsrec.nn.infer.NewsVectorFile.read(vectors, checksum);
    long news = Files.readAllLines(FIXTURE.resolve("dev/news.tsv")).stream().filter(l -> !l.isBlank()).count();
    assertThat(read).hasSize((int) news);
    assertThat(read.values()).allSatisfy(v -> assertThat(v).hasSize(16));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.newsrec.nn.infer.NewsVectorFile.read(vectors, "0" + checksum))
        .hasMessageContaining("written for another model");
    var pop = CliTestSupport.run("predict", "--run", tmp.resolve("run-manifest-none").toString(), "--data",
        FIXTURE.resolve("dev").toString(), "--out", tmp.resolve("q.txt").toString(), "--vectors", tmp.resolve("v").toString());
    assertThat(pop.exitCode()).isEqualTo(2);
  }
}
