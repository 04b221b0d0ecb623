package dev.newsrec.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PUNR bench's inputs, and the bench itself on a tiny setting; no timing is asserted. */
class PunrTrainBenchTest {
  @Test
  void documentsFillTheLengthWithBehaviourSegmentsAndMaskOnlyTitleTokens() {
    int length = 40;
    PunrTrainBench.Inputs x = PunrTrainBench.inputs(2, length, 30522);
    assertThat(x.ids()).hasSize(2 * length);
    for (int b = 0; b < 2; b++) {
      int o = b * length;
      assertThat(x.ids()[o]).isEqualTo(PunrTrainBench.CLS);
      assertThat(x.ids()[o + length - 1]).isEqualTo(PunrTrainBench.SEP);
      // [CLS] + 10 tokens + [SEP] is behaviour 0; behaviour k's [SEP] at 11 (k + 1)
      assertThat(x.ids()[o + 11]).isEqualTo(PunrTrainBench.SEP);
      assertThat(x.segments()[o]).isZero();
      assertThat(x.segments()[o + 11]).isZero();
      assertThat(x.segments()[o + 12]).isEqualTo(1);
      assertThat(x.segments()[o + length - 1]).isEqualTo(3);
    }
    assertThat(x.positions()).isNotEmpty().hasSameSizeAs(x.labels());
    for (int k = 0; k < x.positions().length; k++) {
      int p = (int) x.positions()[k];
      assertThat(x.masked()[p]).isEqualTo(PunrTrainBench.MASK);
      assertThat(x.labels()[k]).isEqualTo(x.ids()[p]).isNotIn((long) PunrTrainBench.CLS, (long) PunrTrainBench.SEP);
    }
    assertThat(x.titles()).hasSize(2 * PunrTrainBench.CANDIDATES * PunrTrainBench.TITLE_TOKENS);
  }

  @Test
  void bothStagesRunOnATinySettingAndAgreeWithThePyTorchReferenceWhenItIsInstalled(@TempDir Path dir)
      throws Exception {
    String home = System.getProperty("newsrec.home");
    System.setProperty("newsrec.home", Path.of("..").toAbsolutePath().normalize().toString());
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      boolean reference = TorchReference.unavailable().isEmpty();
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      for (String stage : PunrTrainBench.STAGES) {
        PunrTrainBench.main(new String[] {stage, "1", "1", "24", "1", Boolean.toString(reference),
            dir.resolve(stage).toString()});
      }
      System.setOut(old);
      String text = out.toString(StandardCharsets.UTF_8);
      assertThat(Files.isRegularFile(dir.resolve("behaviour").resolve("index.json"))).isTrue();
      assertThat(text).contains("punr [fine-tuning", "punr [behaviour pre-training",
          "newsrec peak RSS");
      if (reference) {
        assertThat(text.split("\\): agree", -1)).hasSize(3);
        assertThat(text).doesNotContain("DISAGREE").contains("ratio", "pytorch peak RSS");
      }
    } finally {
      System.setOut(old);
      if (home == null) System.clearProperty("newsrec.home");
      else System.setProperty("newsrec.home", home);
    }
  }
}
