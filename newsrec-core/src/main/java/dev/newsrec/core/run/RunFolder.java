package dev.newsrec.core.run;

import dev.newsrec.core.UserException;
import dev.newsrec.core.config.ConfigTree;
import dev.newsrec.core.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * A run folder: {@code config.yaml} (resolved), {@code provenance.json}, {@code metrics.jsonl},
 * {@code model/}, {@code prediction.txt}, {@code report.md}. Files are written whole.
 */
public final class RunFolder {
  public static final String CONFIG = "config.yaml";
  public static final String PROVENANCE = "provenance.json";
  public static final String METRICS = "metrics.jsonl";
  public static final String MODEL = "model";
  public static final String PREDICTION = "prediction.txt";
  public static final String REPORT = "report.md";

  private final Path dir;

  private RunFolder(Path dir) { this.dir = dir; }

  /** A new run folder: {@code out} if given (must not hold a run yet), else runs/NAME-TIMESTAMP. */
  public static RunFolder create(Path out, String name) {
    Path dir = out;
    if (dir == null) {
      String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      dir = Path.of("runs", name + "-" + stamp);
      for (int k = 2; Files.exists(dir); k++) dir = Path.of("runs", name + "-" + stamp + "-" + k);
    }
    if (Files.exists(dir.resolve(CONFIG))) {
      throw new UserException("run folder " + dir + " already holds a run; choose another --out");
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
    }
    return new RunFolder(dir);
  }

  /** An existing run folder; it must hold a config and a model. */
  public static RunFolder open(Path dir) {
    if (!Files.isRegularFile(dir.resolve(CONFIG))) {
      throw new UserException("run folder " + dir + ": no " + CONFIG + " (is it a run folder?)");
    }
    if (!Files.isDirectory(dir.resolve(MODEL))) {
      throw new UserException("run folder " + dir + ": no trained model (" + MODEL + "/ is missing)");
    }
    return new RunFolder(dir);
  }

  public Path dir() { return dir; }

  public Path file(String name) { return dir.resolve(name); }

  public ConfigTree config() { return ConfigTree.load(dir.resolve(CONFIG)); }

  public void writeConfig(ConfigTree config) {
    AtomicFiles.writeString(dir.resolve(CONFIG), config.toYaml());
  }

  public void writeProvenance(Provenance p) {
    AtomicFiles.writeString(dir.resolve(PROVENANCE), p.toJson());
  }

  /** Appends one JSON object as a line of metrics.jsonl. */
  public void appendMetrics(String jsonLine) {
    try {
      Files.writeString(dir.resolve(METRICS), jsonLine.strip() + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(METRICS), e);
    }
  }
}
