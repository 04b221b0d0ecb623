package dev.newsrec.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.newsrec.core.io.AtomicFiles;
import dev.newsrec.core.metrics.MetricsResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's metrics.jsonl, the one place that knows its lines: the trainer's step lines
 * ({@code {"step":10,"loss":0.69,"smoothed_loss":0.7,...}}, written by the trainer's listener),
 * evaluations after an epoch ({@code {"step":120,"split":"valid","stage":"epoch","epoch":1,
 * "metrics":{...}}}, splits {@code valid} and {@code dev}) and the final dev evaluation
 * ({@code "stage":"final"}). Reading never fails on a line cut short by a crash: such lines are
 * counted.
 */
public final class MetricsLog {
  public static final String FILE = "metrics.jsonl";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  private MetricsLog(Path file) { this.file = file; }

  /** The metrics.jsonl of a run (or stage) folder. */
  public static MetricsLog in(Path dir) { return new MetricsLog(dir.resolve(FILE)); }

  public Path file() { return file; }

  /** One evaluation line. step and epoch may be null (the final evaluation has neither). */
  public record Line(Long step, String split, String stage, Integer epoch, MetricsResult metrics,
      dev.newsrec.core.metrics.HistoryBreakdown byHistory) {
    public static Line eval(long step, String split, String stage, int epoch, MetricsResult m) {
      return new Line(step, split, stage, epoch, m, null);
    }

    public static Line finalDev(MetricsResult m) { return new Line(null, "dev", "final", null, m, null); }

    /** The final dev evaluation with its breakdown by history length. */
    public static Line finalDev(MetricsResult m, dev.newsrec.core.metrics.HistoryBreakdown byHistory) {
      return new Line(null, "dev", "final", null, m, byHistory);
    }

    public String json() {
      StringBuilder sb = new StringBuilder("{");
      if (step != null) sb.append("\"step\":").append(step).append(',');
      sb.append("\"split\":\"").append(split).append("\",\"stage\":\"").append(stage).append('"');
      if (epoch != null) sb.append(",\"epoch\":").append(epoch);
      sb.append(",\"metrics\":").append(metrics.toJson());
      if (byHistory != null) sb.append(",\"by_history\":").append(byHistory.toJson());
      return sb.append('}').toString();
    }
  }

  public void append(Line line) {
    try {
      if (file.getParent() != null) Files.createDirectories(file.getParent());
      Files.writeString(file, line.json() + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw AtomicFiles.cannotWrite(file, e);
    }
  }

  /** One loss line; smoothedLoss is NaN when the line has none. */
  public record Step(long step, double loss, double smoothedLoss) {}

  /** One evaluation after an epoch. */
  public record Epoch(int epoch, long step, MetricsResult metrics) {}

  /**
   * What the file says.
   *
   * @param steps loss lines, in file order
   * @param epochs per-epoch dev lines, in file order
   * @param valid per-epoch validation lines, in file order
   * @param finalDev the final dev line's metrics, or null
   * @param unreadable lines that could not be read
   */
  public record Contents(List<Step> steps, List<Epoch> epochs, List<Epoch> valid,
      MetricsResult finalDev, dev.newsrec.core.metrics.HistoryBreakdown finalByHistory, int unreadable) {
    public Contents(List<Step> steps, List<Epoch> epochs, List<Epoch> valid, MetricsResult finalDev,
        int unreadable) {
      this(steps, epochs, valid, finalDev, null, unreadable);
    }

    public static Contents empty() { return new Contents(List.of(), List.of(), List.of(), null, null, 0); }
  }

  public Contents read() {
    List<Step> steps = new ArrayList<>();
    List<Epoch> epochs = new ArrayList<>();
    List<Epoch> valid = new ArrayList<>();
    MetricsResult fin = null;
    dev.newsrec.core.metrics.HistoryBreakdown finBy = null;
    int unreadable = 0;
    if (!Files.isRegularFile(file)) return Contents.empty();
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
        String split = n.path("split").asText("");
        if (stage.equals("epoch") && n.has("epoch")) {
          Epoch e = new Epoch(n.get("epoch").asInt(), n.path("step").asLong(-1), m);
          (split.equals("valid") ? valid : epochs).add(e);
        } else if (stage.equals("final") && split.equals("dev")) {
          fin = m;
          if (n.path("by_history").isArray()) {
            List<dev.newsrec.core.metrics.HistoryBreakdown.Bucket> buckets = new ArrayList<>();
            for (JsonNode b : n.get("by_history")) {
              buckets.add(new dev.newsrec.core.metrics.HistoryBreakdown.Bucket(b.path("clicks").asText(), metrics(b)));
            }
            finBy = new dev.newsrec.core.metrics.HistoryBreakdown(List.copyOf(buckets));
          }
        }
      } else if (n.has("step") && n.has("loss")) {
        steps.add(new Step(n.get("step").asLong(), number(n.get("loss")), number(n.get("smoothed_loss"))));
      }
    }
    return new Contents(steps, epochs, valid, fin, finBy, unreadable);
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
