package dev.newsrec.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.newsrec.core.metrics.MetricsResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run's metrics.jsonl says: the trainer's loss lines, the dev evaluations after each epoch
 * and the final dev evaluation. Lines that are not JSON objects (e.g. one cut short by a crash)
 * are counted in {@code unreadable}, not fatal: a report is never worth failing a run for.
 *
 * @param steps loss lines, in file order
 * @param epochs per-epoch dev lines, in file order
 * @param finalDev the final dev line's metrics, or null
 * @param unreadable lines that could not be read
 */
record RunMetrics(List<Step> steps, List<Epoch> epochs, MetricsResult finalDev, int unreadable) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One loss line; smoothedLoss is NaN when the line has none. */
  record Step(long step, double loss, double smoothedLoss) {}

  /** One dev evaluation after an epoch. */
  record Epoch(int epoch, long step, MetricsResult metrics) {}

  static RunMetrics read(Path file) {
    List<Step> steps = new ArrayList<>();
    List<Epoch> epochs = new ArrayList<>();
    MetricsResult fin = null;
    int unreadable = 0;
    if (!Files.isRegularFile(file)) return new RunMetrics(steps, epochs, null, 0);
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    for (String line : lines) {
      if (line.isBlank()) continue;
      JsonNode n;
      try {
        n = JSON.readTree(line);
      } catch (IOException e) {
        unreadable++;
        continue;
      }
      if (n == null || !n.isObject()) {
        unreadable++;
      } else if (n.has("metrics")) {
        MetricsResult m = metrics(n.get("metrics"));
        String stage = n.path("stage").asText("");
        if (stage.equals("epoch") && n.has("epoch")) {
          epochs.add(new Epoch(n.get("epoch").asInt(), n.path("step").asLong(-1), m));
        } else if (stage.equals("final") && n.path("split").asText("").equals("dev")) {
          fin = m;
        }
      } else if (n.has("step") && n.has("loss")) {
        steps.add(new Step(n.get("step").asLong(), number(n.get("loss")), number(n.get("smoothed_loss"))));
      }
    }
    return new RunMetrics(steps, epochs, fin, unreadable);
  }

  private static MetricsResult metrics(JsonNode m) {
    return new MetricsResult(number(m.get("auc")), number(m.get("mrr")), number(m.get("ndcg5")),
        number(m.get("ndcg10")), m.path("impressions").asLong(-1),
        m.path("skipped_all_negative").asLong(-1), m.path("skipped_all_positive").asLong(-1));
  }

  /** A JSON number as a double; null, absent or not a number (non-finite values are written as null) is NaN. */
  private static double number(JsonNode n) {
    return n != null && n.isNumber() ? n.asDouble() : Double.NaN;
  }
}
