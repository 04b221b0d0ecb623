package dev.newsrec.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.newsrec.core.metrics.MetricsResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationBenchTest {
  @TempDir Path dir;

  @Test
  void tinyRunAgreesWithThePythonReferenceOrSaysWhyNot() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    EvaluationBench.run(dir, 3000, 7, new PrintStream(bytes, true, StandardCharsets.UTF_8),
        EvaluationBench::readAndEvaluate);
    String out = bytes.toString(StandardCharsets.UTF_8);
    List<String> truth = Files.readAllLines(dir.resolve("behaviors.tsv"));
    assertThat(truth).hasSize(3000);
    assertThat(truth.get(0).split("\t", -1)).hasSize(5);
    assertThat(Files.readAllLines(dir.resolve("prediction.txt"))).hasSize(3000);
    assertThat(out).contains("java:");
    if (EvaluationBench.findScript() != null && EvaluationBench.pythonHasLibraries()) {
      assertThat(out).contains("agree").containsPattern(
          "evaluate 3000 impressions: [0-9.]+ s vs python reference [0-9.]+ s: ratio [0-9.]+");
    } else {
      assertThat(out).contains("python reference skipped");
    }
  }

  @Test
  void disagreementIsAnError() throws Exception {
    MetricsResult java = new MetricsResult(0.6, 0.3, 0.35, 0.4, 10, 1, 0);
    ObjectMapper json = new ObjectMapper();
    EvaluationBench.checkAgreement(java, json.readTree("{\"auc\":0.60004,\"mrr\":0.3,"
        + "\"ndcg5\":0.35,\"ndcg10\":0.4,\"impressions\":10,\"skipped_all_negative\":1,"
        + "\"skipped_all_positive\":0}"));
    assertThatThrownBy(() -> EvaluationBench.checkAgreement(java, json.readTree("{\"auc\":0.6002,"
        + "\"mrr\":0.3,\"ndcg5\":0.35,\"ndcg10\":0.4,\"impressions\":10,"
        + "\"skipped_all_negative\":1,\"skipped_all_positive\":0}")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("AUC");
    assertThatThrownBy(() -> EvaluationBench.checkAgreement(java, json.readTree("{\"auc\":0.6,"
        + "\"mrr\":0.3,\"ndcg5\":0.35,\"ndcg10\":0.4,\"impressions\":10,"
        + "\"skipped_all_negative\":0,\"skipped_all_positive\":0}")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("counts");
  }
}
