package dev.newsrec.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsrec.core.run.RunFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run folders, outputs and the one metrics path, through the command line (issue 10). */
class RunReliabilityTest {
  static final Path FIXTURE = TrainPredictTest.FIXTURE;
  static final Path CONFIG = TrainPredictTest.CONFIG;

  @TempDir static Path shared;
  static Path world;
  static Path trained;

  @TempDir Path tmp;

  /** The tiny synthetic world (its popularity scores tie) and a popularity run on the fixture. */
  @BeforeAll
  static void setUp() {
    world = shared.resolve("tiny");
    var w = CliTestSupport.run("data", "synth", "--out", world.toString(), "--preset", "tiny",
        "--seed", "1");
    assertThat(w.exitCode()).as(w.err()).isZero();
    trained = shared.resolve("fixture-run");
    var r = train(trained.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
  }

  private static CliTestSupport.Result train(String out, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("train", "--config", CONFIG.toString(),
        "--set", "data.train=" + FIXTURE.resolve("train"), "--set", "data.dev=" + FIXTURE.resolve("dev"),
        "--out", out));
    args.addAll(List.of(more));
    return CliTestSupport.run(args.toArray(String[]::new));
  }

  @Test
  void trainReportsTheMetricsEvaluateComputesFromItsPredictionFile() throws IOException {
    Path run = tmp.resolve("pop");
    var r = CliTestSupport.run("train", "--config", CONFIG.toString(),
        "--set", "data.train=" + world.resolve("train"), "--set", "data.dev=" + world.resolve("dev"),
        "--out", run.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    var e = CliTestSupport.run("evaluate", "--truth", world.resolve("dev/behaviors.tsv").toString(),
        "--prediction", run.resolve(RunFolder.PREDICTION).toString(), "--json");
    assertThat(e.exitCode()).as(e.err()).isZero();
    var j = CliTestSupport.run("evaluate", "--truth", world.resolve("dev/behaviors.tsv").toString(),
        "--prediction", run.resolve(RunFolder.PREDICTION).toString());
    // evaluate's table row: "prediction.txt AUC MRR nDCG@5 nDCG@10 impressions ..."
    String[] evaluated = j.out().lines().toList().get(1).trim().split(" +");
    String[] reported = r.out().lines().filter(l -> l.startsWith("popularity")).findFirst()
        .orElseThrow().trim().split(" +");
    assertThat(java.util.Arrays.copyOfRange(reported, 1, 6))
        .containsExactly(java.util.Arrays.copyOfRange(evaluated, 1, 6));
    String fin = Files.readAllLines(run.resolve(RunFolder.METRICS)).stream()
        .filter(l -> l.contains("\"stage\":\"final\"")).findFirst().orElseThrow();
    // evaluate --json: {metrics...,"by_history":[...]}; the run's final line: "metrics":{...},"by_history":[...]
    String json = e.out().trim();
    int cut = json.indexOf(",\"by_history\":");
    assertThat(fin).contains("\"metrics\":" + json.substring(0, cut) + "}")
        .contains(json.substring(cut, json.length() - 1));
    assertThat(Files.readString(run.resolve(RunFolder.REPORT)))
        .contains("| " + evaluated[1] + " | " + evaluated[2] + " | " + evaluated[3] + " | " + evaluated[4] + " |");
  }

  @Test
  void anUnusableOutFailsAtOnceWithTheReasonBeforeAnyDataIsRead() throws IOException {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    // the data path is wrong too: the --out problem must be found first, before any reading
    var r = CliTestSupport.run("train", "--config", CONFIG.toString(),
        "--set", "data.train=" + FIXTURE.resolve("train"), "--set", "data.dev=" + FIXTURE.resolve("dev"),
        "--out", file.resolve("run").toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains(file + " is a file, not a folder").doesNotContain("data:");
    var p = train("/proc/self/newsrec-run");
    assertThat(p.exitCode()).isEqualTo(2);
    assertThat(p.err()).contains("permission denied").doesNotContain("data:");
  }

  @Test
  void aNonEmptyFolderThatIsNotARunIsRefusedAndLeftAsItWas() throws IOException {
    Path mine = Files.createDirectories(tmp.resolve("mine"));
    Files.writeString(mine.resolve("thesis.tex"), "mine");
    var r = train(mine.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("not empty and holds no run").doesNotContain("data:");
    try (var s = Files.list(mine)) {
      assertThat(s.map(f -> f.getFileName().toString())).containsExactly("thesis.tex");
    }
  }

  @Test
  void aRunThatFailedOrWasKilledAfterItsFolderWasMadeCanBeRunAgain() throws IOException {
    Path run = tmp.resolve("again");
    // what a run leaves when it fails (or is killed) after writing its config and provenance
    Files.createDirectories(run);
    Files.copy(trained.resolve(RunFolder.CONFIG), run.resolve(RunFolder.CONFIG));
    Files.copy(trained.resolve(RunFolder.PROVENANCE), run.resolve(RunFolder.PROVENANCE));
    Files.writeString(run.resolve(RunFolder.INCOMPLETE), "");
    var r = train(run.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(run.resolve(RunFolder.INCOMPLETE)).doesNotExist();
    assertThat(run.resolve(RunFolder.PREDICTION)).exists();
    // a finished run is not overwritten
    var twice = train(run.toString());
    assertThat(twice.exitCode()).isEqualTo(2);
    assertThat(twice.err()).contains("already holds a run");
  }

  @Test
  void compareOnARunThatDidNotFinishSaysSo() throws IOException {
    Path killed = tmp.resolve("killed");
    Files.createDirectories(killed);
    Files.copy(trained.resolve(RunFolder.CONFIG), killed.resolve(RunFolder.CONFIG));
    // killed after an epoch: a per-epoch dev line must not stand in for the final metrics
    Files.writeString(killed.resolve(RunFolder.METRICS), "{\"step\":5,\"split\":\"dev\",\"stage\":"
        + "\"epoch\",\"epoch\":1,\"metrics\":{\"auc\":0.5,\"mrr\":0.5,\"ndcg5\":0.5,\"ndcg10\":0.5}}\n");
    Files.writeString(killed.resolve(RunFolder.INCOMPLETE), "");
    var c = CliTestSupport.run("compare", trained.toString(), killed.toString());
    assertThat(c.exitCode()).isEqualTo(2);
    assertThat(c.err()).contains("run " + killed + " did not finish").contains("no final metrics")
        .doesNotContain("was dev labelled");
    // a run folder from before the marker, killed: no report either
    Files.delete(killed.resolve(RunFolder.INCOMPLETE));
    c = CliTestSupport.run("compare", trained.toString(), killed.toString());
    assertThat(c.err()).contains("did not finish");
  }

  @Test
  void predictToDashOrDevStdoutWritesTheFileAloneToStandardOutput() throws IOException {
    List<String> expected = Files.readAllLines(trained.resolve(RunFolder.PREDICTION));
    for (String out : new String[] {"-", "/dev/stdout"}) {
      var p = CliTestSupport.run("predict", "--run", trained.toString(), "--data",
          FIXTURE.resolve("dev").toString(), "--out", out);
      assertThat(p.exitCode()).as(p.err()).isZero();
      assertThat(p.out().lines().toList()).isEqualTo(expected);
      assertThat(p.err()).contains("75.00"); // the metrics table moved to standard error
    }
    assertThat(Path.of("-")).doesNotExist();
  }

  @Test
  void predictToAnUnwritablePlaceFailsBeforeLoading() {
    var p = CliTestSupport.run("predict", "--run", trained.toString(), "--data",
        FIXTURE.resolve("dev").toString(), "--out", "/proc/self/prediction.txt");
    assertThat(p.exitCode()).isEqualTo(2);
    assertThat(p.err()).contains("permission denied").doesNotContain("wrote");
  }

  @Test
  void predictLenientSaysHowManyImpressionsAreMissingAndFromWhichFile() throws IOException {
    Path dev = Files.createDirectories(tmp.resolve("dev"));
    Files.copy(FIXTURE.resolve("dev/news.tsv"), dev.resolve("news.tsv"));
    Files.writeString(dev.resolve("behaviors.tsv"), Files.readString(FIXTURE.resolve("dev/behaviors.tsv"))
        + "13\tU1\tnot a time\tN1\tN6-1 N7-0\n");
    Path out = tmp.resolve("prediction.txt");
    var p = CliTestSupport.run("predict", "--run", trained.toString(), "--data", dev.toString(),
        "--out", out.toString(), "--lenient");
    assertThat(p.exitCode()).as(p.err()).isZero();
    assertThat(Files.readAllLines(out)).hasSize(3);
    assertThat(p.err()).contains("warning: 1 of 4 lines of " + dev.resolve("behaviors.tsv")
        + " were skipped").contains("will reject it");
  }

  @Test
  void aTrainingSplitWithoutClicksIsRefusedBeforeAnyRunFolderIsMade() throws IOException {
    Path train = tmp.resolve("noclicks/train");
    Files.createDirectories(train);
    Files.copy(world.resolve("train/news.tsv"), train.resolve("news.tsv"));
    List<String> lines = Files.readAllLines(world.resolve("train/behaviors.tsv")).stream()
        .map(l -> l.replace("-1", "-0")).toList();
    Files.write(train.resolve("behaviors.tsv"), lines);
    Path out = tmp.resolve("run");
    var r = CliTestSupport.run("train", "--config", CONFIG.toString(), "--set", "data.train=" + train,
        "--set", "data.dev=" + world.resolve("dev"), "--out", out.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains(train.resolve("behaviors.tsv").toString()).contains("no clicked candidate");
    assertThat(out).doesNotExist();
  }
}
