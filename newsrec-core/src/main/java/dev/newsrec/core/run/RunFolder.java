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
import java.util.Collection;
import java.util.stream.Stream;

/**
 * A run folder: {@code config.yaml} (resolved), {@code provenance.json}, {@code metrics.jsonl},
 * {@code model/}, {@code prediction.txt}, {@code report.md}. Files are written whole.
 *
 * <p>While a run works, its folder holds {@value #INCOMPLETE}; {@link #finish()} removes it as the
 * last step. A folder still marked after the process ended belongs to a run that failed or was
 * killed: it is not a result ({@code compare} and {@code predict} refuse it), and a new run may take
 * it over (everything in it was written by the earlier run).
 */
public final class RunFolder {
  public static final String CONFIG = "config.yaml";
  public static final String PROVENANCE = "provenance.json";
  public static final String METRICS = MetricsLog.FILE;
  public static final String MODEL = "model";
  public static final String PREDICTION = "prediction.txt";
  public static final String REPORT = "report.md";
  public static final String INCOMPLETE = "INCOMPLETE";
  /** Fine-tuning checkpoints, kept while the run works (removed by {@link #finish()}). */
  public static final String CHECKPOINTS = "checkpoints";
  /** The best epoch's weights on the validation split, while the run works. */
  public static final String BEST_EPOCH = "best-epoch";
  /** Pre-training stage folders (kept: another run can start from them with init_from). */
  public static final String PRETRAINING = "pretraining";

  private final Path dir;

  private RunFolder(Path dir) { this.dir = dir; }

  /**
   * Checks, before any data is read and without creating anything, that out can become a run
   * folder: it is absent (and creatable), an empty folder, or the folder of a run that did not
   * finish. Null out means the default under runs/.
   *
   * @throws UserException saying why not: a file in the way, permission denied, a finished run, a
   *     folder with other files in it
   */
  public static void check(Path out) {
    if (out == null) {
      AtomicFiles.checkCanCreate(Path.of("runs", "x"));
      return;
    }
    if (!Files.exists(out)) {
      AtomicFiles.checkCanCreate(out);
      return;
    }
    if (!Files.isDirectory(out)) {
      throw new UserException("run folder " + out + " is a file, not a folder; choose another --out");
    }
    if (isIncomplete(out) && (Files.exists(out.resolve(CHECKPOINTS)) || Files.exists(out.resolve(PRETRAINING)))) {
      throw new UserException("run folder " + out + " holds an unfinished run with checkpoints: "
          + "continue it with `newsrec train --resume " + out + "`, or delete the folder to start over");
    } else if (isIncomplete(out)) {
      // a failed or killed run without checkpoints: taken over below
    } else if (Files.exists(out.resolve(CONFIG))) {
      throw new UserException("run folder " + out + " already holds a run; choose another --out");
    } else if (!isEmpty(out)) {
      throw new UserException("run folder " + out + " is not empty and holds no run; choose a new "
          + "or empty folder (run files are not mixed into other files)");
    }
    if (!Files.isWritable(out)) {
      throw new UserException("cannot write run folder " + out + ": permission denied");
    }
  }

  /**
   * Checks the parent of several run folders (a multi-seed run): absent, or a folder holding
   * nothing but some of names; then each run folder as {@link #check}.
   */
  public static void checkAll(Path parent, Collection<String> names) {
    if (Files.isDirectory(parent)) {
      try (Stream<Path> s = Files.list(parent)) {
        // pretraining/: stages shared by the seeds (reused when their settings match)
        s.map(p -> p.getFileName().toString()).filter(n -> !names.contains(n) && !n.equals(PRETRAINING)).findFirst()
            .ifPresent(n -> {
              throw new UserException("folder " + parent + " holds " + n + ", which is not one of "
                  + "its run folders; choose a new or empty folder");
            });
      } catch (IOException e) {
        throw new UserException("cannot read " + parent + ": " + AtomicFiles.reason(e));
      }
    } else if (Files.exists(parent)) {
      throw new UserException(parent + " is a file, not a folder; choose another --out");
    }
    for (String n : names) check(parent.resolve(n));
  }

  /**
   * A new run folder, marked {@value #INCOMPLETE} until {@link #finish()}: {@code out} if given (as
   * {@link #check} allows; an unfinished run's files are removed), else runs/NAME-TIMESTAMP.
   */
  public static RunFolder create(Path out, String name) {
    Path dir = out;
    if (dir == null) {
      String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      dir = Path.of("runs", name + "-" + stamp);
      for (int k = 2; Files.exists(dir); k++) dir = Path.of("runs", name + "-" + stamp + "-" + k);
    }
    check(dir);
    try {
      if (isIncomplete(dir)) {
        try (Stream<Path> s = Files.list(dir)) {
          for (Path p : (Iterable<Path>) s::iterator) AtomicFiles.deleteRecursively(p);
        }
      }
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(INCOMPLETE), "This run has not finished: it is running, or it "
          + "failed or was killed. Its files are not a result. A new run with --out " + dir
          + " replaces them.\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserException("cannot create run folder " + dir + ": " + AtomicFiles.reason(e));
    }
    return new RunFolder(dir);
  }

  /**
   * The folder of an unfinished run to continue ({@code train --resume}): it must hold a config
   * and still be marked {@value #INCOMPLETE}.
   */
  public static RunFolder reopen(Path dir) {
    if (!Files.isRegularFile(dir.resolve(CONFIG))) {
      throw new UserException("--resume " + dir + ": no " + CONFIG + " (is it a run folder?)");
    }
    if (!isIncomplete(dir)) {
      throw new UserException("--resume " + dir + ": the run has finished; nothing to resume");
    }
    return new RunFolder(dir);
  }

  /** An existing, finished run folder; it must hold a config and a model. */
  public static RunFolder open(Path dir) {
    if (!Files.isRegularFile(dir.resolve(CONFIG))) {
      throw new UserException("run folder " + dir + ": no " + CONFIG + " (is it a run folder?)");
    }
    if (isIncomplete(dir)) {
      throw new UserException("run folder " + dir + ": the run did not finish (it failed or was "
          + "killed); train it again");
    }
    if (!Files.isDirectory(dir.resolve(MODEL))) {
      throw new UserException("run folder " + dir + ": no trained model (" + MODEL + "/ is missing)");
    }
    return new RunFolder(dir);
  }

  /** True when dir holds a run that has not finished (running, failed or killed). */
  public static boolean isIncomplete(Path dir) {
    return Files.exists(dir.resolve(INCOMPLETE));
  }

  private static boolean isEmpty(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      throw new UserException("cannot read " + dir + ": " + AtomicFiles.reason(e));
    }
  }

  public Path dir() { return dir; }

  public Path file(String name) { return dir.resolve(name); }

  public ConfigTree config() { return config(dir); }

  /** The resolved config a run folder holds. */
  public static ConfigTree config(Path dir) { return ConfigTree.load(dir.resolve(CONFIG)); }

  public void writeConfig(ConfigTree config) {
    AtomicFiles.writeString(dir.resolve(CONFIG), config.toYaml());
  }

  public void writeProvenance(Provenance p) {
    AtomicFiles.writeString(dir.resolve(PROVENANCE), p.toJson());
  }

  /** The run's metrics.jsonl. */
  public MetricsLog metrics() { return MetricsLog.in(dir); }

  /** Marks the run finished: the last step of a run, after every file is written. */
  public void finish() {
    try {
      AtomicFiles.deleteRecursively(dir.resolve(CHECKPOINTS));
      AtomicFiles.deleteRecursively(dir.resolve(BEST_EPOCH));
      Files.deleteIfExists(dir.resolve(INCOMPLETE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot finish run folder " + dir + ": " + AtomicFiles.reason(e), e);
    }
  }
}
