package dev.newsrec.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthCommandTest {
  @Test
  void writesBothSplitsAndRefusesToOverwriteWithoutForce(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("world");
    Result first = run("data", "synth", "--out", out.toString(), "--preset", "tiny", "--seed", "4",
        "--unlabelled-users", "0.2", "--entity-weight", "0.8", "--candidates", "8");
    assertThat(first.code).as(first.err).isZero();
    assertThat(first.out).contains("train").contains("dev").contains("impressions")
        .contains("oracle (the ceiling)").contains("histories.tsv");
    for (String f : new String[] {"news.tsv", "behaviors.tsv", "entity_embedding.vec",
        "relation_embedding.vec", "oracle.tsv"}) {
      assertThat(out.resolve("train").resolve(f)).isNotEmptyFile();
      assertThat(out.resolve("dev").resolve(f)).isNotEmptyFile();
    }
    assertThat(out.resolve("train/histories.tsv")).isNotEmptyFile();
    try (var s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("world");
    }

    byte[] before = Files.readAllBytes(out.resolve("train/behaviors.tsv"));
    Result refused = run("data", "synth", "--out", out.toString(), "--preset", "tiny", "--seed", "5");
    assertThat(refused.code).isEqualTo(2);
    assertThat(refused.err).contains("not empty").contains("--force");
    assertThat(Files.readAllBytes(out.resolve("train/behaviors.tsv"))).isEqualTo(before);

    Result forced = run("data", "synth", "--out", out.toString(), "--preset", "tiny", "--seed", "5",
        "--force");
    assertThat(forced.code).as(forced.err).isZero();
    assertThat(Files.readAllBytes(out.resolve("train/behaviors.tsv"))).isNotEqualTo(before);
    assertThat(out.resolve("train/histories.tsv")).doesNotExist();
  }

  @Test
  void badKnobIsOneLineUserError(@TempDir Path dir) {
    Result r = run("data", "synth", "--out", dir.resolve("w").toString(), "--preset", "tiny",
        "--entity-weight", "2");
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err.strip()).startsWith("newsrec: error: entity weight must be in [0, 1]")
        .doesNotContain("Exception");
    assertThat(dir.resolve("w")).doesNotExist();
  }

  @Test
  void helpListsEveryKnob() {
    Result r = run("data", "synth", "--help");
    assertThat(r.out).contains("--entity-weight", "--unlabelled-users", "--title-length",
        "--history-length", "--candidates", "--news", "--users", "--train-impressions",
        "--dev-impressions", "--preset", "--seed", "--force");
    assertThat(r.err).doesNotContain("WARN");
  }

  record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
