package dev.newsrec.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture (src/test/resources/evaluate), worked out by hand:
 * <pre>
 * imp  labels      ranks        clicked at  AUC  MRR              nDCG@5 = nDCG@10
 * 1    1 0 0 1 0   2 5 3 1 4    ranks 1, 2  1    (1 + 1/2)/2=.75  1
 * 2    0 1 0       1 2 3        rank 2      1/2  1/2              1/log2(3) = .630930
 * 3    0 0         1 2          skipped: no click
 * 4    1 1         2 1          skipped: all clicked
 * 5    0 1 0 0     3 1 4 2      rank 1      1    1                1
 * means over 3:                             .833333  .75          (2 + .630930)/3 = .876977
 * </pre>
 */
class EvaluateCommandTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream oldOut;
  private PrintStream oldErr;

  @BeforeEach
  void capture() {
    oldOut = System.out;
    oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(oldOut);
    System.setErr(oldErr);
  }

  private static Path fixture(String name) throws URISyntaxException {
    return Path.of(EvaluateCommandTest.class.getResource("/evaluate/" + name).toURI());
  }

  private String stdout() { return out.toString(StandardCharsets.UTF_8); }

  private String stderr() { return err.toString(StandardCharsets.UTF_8); }

  @Test
  void printsTheTableWithHandComputedNumbers() throws Exception {
    int code = Main.run("evaluate", "--truth", fixture("behaviors.tsv").toString(),
        "--prediction", fixture("prediction.txt").toString());
    assertThat(code).as(stderr()).isZero();
    List<String> lines = stdout().lines().toList();
    // the table, a blank line, the breakdown's title, its header and one row per history group
    assertThat(lines).hasSize(2 + 3 + 6);
    assertThat(lines.get(3)).isEqualTo("by clicks in the user's history:");
    assertThat(lines.get(5).split(" +")[0]).isEqualTo("0");
    assertThat(lines.get(10).split(" +")[0]).isEqualTo("21+");
    assertThat(lines.get(0).split(" +")).containsExactly("model", "AUC", "MRR", "nDCG@5",
        "nDCG@10", "impressions", "skipped(all", "0)", "skipped(all", "1)");
    assertThat(lines.get(1).split(" +"))
        .containsExactly("prediction.txt", "83.33", "75.00", "87.70", "87.70", "3", "1", "1");
  }

  @Test
  void printsJsonFromAZipToo() throws Exception {
    Path zip = dir.resolve("prediction.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
      z.putNextEntry(new ZipEntry("prediction.txt"));
      z.write(Files.readAllBytes(fixture("prediction.txt")));
    }
    int code = Main.run("evaluate", "--truth", fixture("behaviors.tsv").toString(),
        "--prediction", zip.toString(), "--json");
    assertThat(code).as(stderr()).isZero();
    assertThat(stdout().trim()).startsWith("{\"auc\":0.8333,\"mrr\":0.7500,\"ndcg5\":0.8770,"
        + "\"ndcg10\":0.8770,\"impressions\":3,\"skipped_all_negative\":1,"
        + "\"skipped_all_positive\":1,\"by_history\":[{\"clicks\":\"0\",");
    // the groups split the same impressions: their counts add up to the totals
    var by = new com.fasterxml.jackson.databind.ObjectMapper().readTree(stdout()).get("by_history");
    assertThat(by).hasSize(6);
    long evaluated = 0;
    long all = 0;
    for (var g : by) {
      evaluated += g.get("impressions").asLong();
      all += g.get("impressions").asLong() + g.get("skipped_all_negative").asLong() + g.get("skipped_all_positive").asLong();
    }
    assertThat(evaluated).isEqualTo(3);
    assertThat(all).isEqualTo(5);
  }

  @Test
  void unlabelledTruthIsAClearError() throws Exception {
    Path test = dir.resolve("behaviors.tsv");
    Files.writeString(test, "1\tU1\t11/15/2019 10:22:32 AM\t\tN10 N11\n");
    Path pred = dir.resolve("prediction.txt");
    Files.writeString(pred, "1 [1,2]\n");
    int code = Main.run("evaluate", "--truth", test.toString(), "--prediction", pred.toString());
    assertThat(code).isEqualTo(2);
    assertThat(stderr()).startsWith("newsrec: error: ").contains("has no labels")
        .doesNotContain("Exception");
  }

  @Test
  void mismatchedPredictionNamesTheImpressionAndLine() throws Exception {
    Path pred = dir.resolve("prediction.txt");
    Files.writeString(pred, "1 [2,5,3,1,4]\n2 [1,2,3]\n3 [1,2,3]\n4 [2,1]\n5 [3,1,4,2]\n");
    int code = Main.run("evaluate", "--truth", fixture("behaviors.tsv").toString(),
        "--prediction", pred.toString());
    assertThat(code).isEqualTo(2);
    assertThat(stderr()).contains("prediction.txt:3: field ranks")
        .contains("impression 3: 3 ranks for 2 candidates");
  }

  @Test
  void aRepeatedLineARankTooFewAndADirectoryAreNamedAsSuch() throws Exception {
    Path pred = dir.resolve("prediction.txt");
    Files.writeString(pred, "1 [2,5,3,1,4]\n2 [1,2,3]\n2 [1,2,3]\n3 [1,2]\n4 [2,1]\n5 [3,1,4,2]\n");
    String truth = fixture("behaviors.tsv").toString();
    assertThat(Main.run("evaluate", "--truth", truth, "--prediction", pred.toString())).isEqualTo(2);
    assertThat(stderr()).contains("prediction.txt:3: field ImpressionID")
        .contains("impression id 2 is repeated: lines 2 and 3").doesNotContain("not in the truth");
    err.reset();
    // impression 5 has 4 candidates; its rank 4 is left out
    Files.writeString(pred, "1 [2,5,3,1,4]\n2 [1,2,3]\n3 [1,2]\n4 [2,1]\n5 [3,1,2]\n");
    assertThat(Main.run("evaluate", "--truth", truth, "--prediction", pred.toString())).isEqualTo(2);
    assertThat(stderr()).contains("prediction.txt:5: field ranks")
        .contains("impression 5: 3 ranks for 4 candidates").doesNotContain("outside");
    err.reset();
    Path folder = Files.createDirectories(dir.resolve("predictions"));
    assertThat(Main.run("evaluate", "--truth", truth, "--prediction", folder.toString())).isEqualTo(2);
    assertThat(stderr()).contains("prediction file " + folder + " is a directory")
        .doesNotContain("does not exist");
  }

  @Test
  void badPredictionLineNamesFileLineAndField() throws IOException, URISyntaxException {
    Path pred = dir.resolve("prediction.txt");
    Files.writeString(pred, "1 [2,5,3,1,4]\n2 [1,2,2]\n");
    int code = Main.run("evaluate", "--truth", fixture("behaviors.tsv").toString(),
        "--prediction", pred.toString());
    assertThat(code).isEqualTo(2);
    assertThat(stderr()).contains("prediction.txt:2: field ranks").contains("appears twice");
  }

  @Test
  void missingFilesAreOneLineErrors() throws Exception {
    int code = Main.run("evaluate", "--truth", dir.resolve("nope.tsv").toString(),
        "--prediction", fixture("prediction.txt").toString());
    assertThat(code).isEqualTo(2);
    assertThat(stderr()).contains("truth file").contains("nope.tsv does not exist");
    err.reset();
    code = Main.run("evaluate", "--truth", fixture("behaviors.tsv").toString(),
        "--prediction", dir.resolve("prediction.zip").toString());
    assertThat(code).isEqualTo(2);
    assertThat(stderr()).contains("prediction file").contains("does not exist");
  }

  @Test
  void resultsTableAlignsRowsOfModels() {
    String t = ResultsTable.render(List.of(ResultsTable.row("punr-paper", 0.6889, 0.3333, 0.3694,
        0.4310), ResultsTable.row("nrms", 0.5, 0.25, 0.123456, Double.NaN)));
    List<String> lines = t.lines().toList();
    assertThat(lines.get(0).split(" +")).containsExactly("model", "AUC", "MRR", "nDCG@5",
        "nDCG@10", "impressions");
    assertThat(lines.get(1).split(" +")).containsExactly("punr-paper", "68.89", "33.33", "36.94",
        "43.10", "-");
    assertThat(lines.get(2).split(" +")).containsExactly("nrms", "50.00", "25.00", "12.35", "-",
        "-");
    assertThat(lines.get(1).length()).isEqualTo(lines.get(0).length());
    assertThat(lines.get(2).length()).isEqualTo(lines.get(0).length());
  }
}
