package dev.newsrec.nn.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;

/**
 * Appends one JSON object per {@code every} steps to a metrics.jsonl file:
 * {@code {"step":10,"loss":0.69,"smoothed_loss":0.7,"grad_norm":1.2,"lr":{"default":1e-4},"steps_per_s":3.1}},
 * followed by whatever the step function recorded ({@code "mlm":2.1,"dec":3.4}).
 * On resume it truncates lines for steps after the checkpoint, so the file matches the run.
 */
public final class MetricsJsonl implements TrainListener, AutoCloseable {
  private final Path file;
  private final long every;
  private BufferedWriter writer;

  public MetricsJsonl(Path file, long every) {
    this.file = file;
    this.every = every;
  }

  /** Drops the lines of steps after {@code step} (called when resuming from a checkpoint at that step). */
  public void truncateAfter(long step) {
    try {
      if (!Files.exists(file)) return;
      StringBuilder kept = new StringBuilder();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        int i = line.indexOf("\"step\":");
        if (i < 0) continue;
        int j = i + 7;
        int k = j;
        while (k < line.length() && Character.isDigit(line.charAt(k))) k++;
        if (k > j && Long.parseLong(line.substring(j, k)) <= step) kept.append(line).append('\n');
      }
      Files.writeString(file, kept, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void onStep(Trainer<?> trainer, StepEvent e) {
    if (e.step() % every != 0 && e.step() != e.totalSteps()) return;
    StringBuilder sb = new StringBuilder(128);
    sb.append("{\"step\":").append(e.step())
        .append(",\"loss\":").append(num(e.loss()))
        .append(",\"smoothed_loss\":").append(num(e.smoothedLoss()))
        .append(",\"grad_norm\":").append(num(e.gradNorm()))
        .append(",\"lr\":{");
    boolean first = true;
    for (Map.Entry<String, Double> lr : e.learningRates().entrySet()) {
      if (!first) sb.append(',');
      first = false;
      sb.append('"').append(escape(lr.getKey())).append("\":").append(num(lr.getValue()));
    }
    sb.append("},\"steps_per_s\":").append(num(e.stepsPerSecond()));
    for (Map.Entry<String, Double> m : e.metrics().entrySet()) {
      sb.append(",\"").append(escape(m.getKey())).append("\":").append(num(m.getValue()));
    }
    sb.append("}\n");
    try {
      if (writer == null) {
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
      writer.write(sb.toString());
      writer.flush();
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write " + file + ": " + ex.getMessage(), ex);
    }
  }

  private static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') sb.append('\\').append(c);
      else if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      else sb.append(c);
    }
    return sb.toString();
  }

  private static String num(double d) {
    return Double.isFinite(d) ? String.format(Locale.ROOT, "%.6g", d) : "null";
  }

  @Override
  public void close() throws IOException {
    if (writer != null) writer.close();
  }
}
