package dev.newsrec.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code newsrec data check}: statistics, every defect counted, exit 2 on any in strict mode. */
class CheckCommandTest {
  static final Path FIXTURE = TrainPredictTest.FIXTURE;

  @TempDir Path tmp;

  private Path copyOfTrain(String name, String behaviors) throws Exception {
    Path d = tmp.resolve(name);
    Files.createDirectories(d);
    Files.copy(FIXTURE.resolve("train/news.tsv"), d.resolve("news.tsv"));
    Files.writeString(d.resolve("behaviors.tsv"), behaviors);
    return d;
  }

  @Test
  void dataCheckReportsOtherSplitsAndBadLines() throws Exception {
    var ok = CliTestSupport.run("data", "check", FIXTURE.toString());
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("2 news ids not in this news.tsv but in train")
        .contains("1 impressions all negative").contains("defects           none")
        .contains("OK: 2 split folder(s) valid");

    Path bad = copyOfTrain("bad", "1\tU1\t11/9/2019 8:00:00 AM\tN1\tN2-0 N4-1\n"
        + "2\tU1\t11/9/2019 8:00:00 AM\tN1\tN2-0 N4-7\n");
    var r = CliTestSupport.run("data", "check", bad.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("behaviors.tsv:2: field Impressions: label must be 0 or 1");
    var lenient = CliTestSupport.run("data", "check", "--lenient", bad.toString());
    assertThat(lenient.exitCode()).isZero();
    assertThat(lenient.out()).contains("behaviors.tsv: 1 bad Impressions").contains("OK with --lenient");
  }

  @Test
  void everyDefectClassIsCountedAndFailsTheCheck() throws Exception {
    Path split = copyOfTrain("defects", "\uFEFF1\tU1\t11/9/2019 8:00:00 AM\tN1\tN2-0 N4-1\n"
        + "1\tU2\t11/9/2019 8:00:00 AM\tN1\tN2-0 N4-1\n"
        + "2\tU1\t11/9/2019 8:00:00 AM\tN1\tN2-0 N4-1 N2-1\n"
        + "\n");
    var r = CliTestSupport.run("data", "check", split.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).contains("impressions       2 (labelled)")
        .contains("behaviors.tsv: 1 duplicate impression id, 1 duplicate candidate, 1 blank line")
        .contains("behaviors.tsv: removed the UTF-8 byte order mark");
    assertThat(r.err()).startsWith("newsrec: error: ")
        .contains("behaviors.tsv:2: field ImpressionID: duplicate impression id 1 (first on line 1)")
        .contains("3 defect(s) in 1 split folder(s)").contains("--lenient drops them")
        .doesNotContain("Exception");
    assertThat(CliTestSupport.run("data", "check", "--lenient", split.toString()).exitCode()).isZero();
  }

  @Test
  void emptyBehaviorsFailsEvenWhenLenient() throws Exception {
    Path split = copyOfTrain("empty", "");
    for (String[] args : new String[][] {{"data", "check", split.toString()},
        {"data", "check", "--lenient", split.toString()}}) {
      var r = CliTestSupport.run(args);
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.out()).contains("behaviors.tsv: 1 empty file");
      assertThat(r.err()).contains("behaviors.tsv: no impressions (empty file)");
    }
    // A blank line is the first defect, but with --lenient the message names what still fails.
    Files.writeString(split.resolve("behaviors.tsv"), "\n");
    assertThat(CliTestSupport.run("data", "check", split.toString()).err())
        .contains("behaviors.tsv:1: blank line");
    assertThat(CliTestSupport.run("data", "check", "--lenient", split.toString()).err())
        .contains("behaviors.tsv: no impressions (empty file)").doesNotContain("--lenient drops");
  }

  @Test
  void folderWithoutNewsTsvSaysSo() throws Exception {
    Path split = tmp.resolve("no-news");
    Files.createDirectories(split);
    Files.writeString(split.resolve("behaviors.tsv"), "1\tU1\t11/9/2019 8:00:00 AM\tN1\tN2-0 N4-1\n");
    var r = CliTestSupport.run("data", "check", split.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("no-news: no news.tsv");
    var empty = CliTestSupport.run("data", "check", tmp.resolve("nothing").toString());
    assertThat(empty.err()).contains("nothing: no such folder");
    Files.createDirectories(tmp.resolve("nothing"));
    var none = CliTestSupport.run("data", "check", tmp.resolve("nothing").toString());
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("nothing: no news.tsv here or in its subfolders");
  }
}
