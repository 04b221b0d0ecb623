package dev.newsrec.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code newsrec data adressa} on the core module's hand-written raw week. */
class AdressaCommandTest {
  static final Path RAW = Path.of("../newsrec-core/src/test/resources/adressa/one_week");

  @TempDir Path tmp;

  @Test
  void aBrokenLineIsExitTwoWithFileAndLineAndNoFolder() {
    Path out = tmp.resolve("adressa");
    CliTestSupport.Result r = CliTestSupport.run("data", "adressa", "--raw", RAW.toString(), "--out", out.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("20170104:2: not a JSON object").doesNotContain("Exception");
    assertThat(out).doesNotExist();
    CliTestSupport.Result missing = CliTestSupport.run("data", "adressa", "--raw", tmp.resolve("nope").toString(), "--out", out.toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("not a folder of Adressa day files");
  }

  @Test
  void lenientConvertsAndCountsWhatItSkipped() throws Exception {
    Path out = tmp.resolve("adressa");
    CliTestSupport.Result r = CliTestSupport.run("data", "adressa", "--raw", RAW.toString(), "--out", out.toString(),
        "--lenient", "--negatives", "3");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("14 article reads, 3 without an article id or title (skipped), 1 malformed (skipped)")
        .contains("4 users, 2 kept").contains("train 9 impressions, dev 1 impressions");
    assertThat(r.err()).contains("20170107 (day 7)");
    CliTestSupport.Result check = CliTestSupport.run("data", "check", out.toString());
    assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
    assertThat(Files.readAllLines(out.resolve("train/behaviors.tsv"))).hasSize(9);
    CliTestSupport.Result again = CliTestSupport.run("data", "adressa", "--raw", RAW.toString(), "--out", out.toString(), "--lenient");
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err()).contains("--force");
  }
}
