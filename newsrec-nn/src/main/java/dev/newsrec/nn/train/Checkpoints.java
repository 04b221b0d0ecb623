package dev.newsrec.nn.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checkpoint folders inside a checkpoint directory: {@code step-00000100/} holding
 * {@value #MODEL}, {@value #OPTIMIZER} and {@value #STATE}. A folder is written under a temporary
 * name and renamed when complete, so every {@code step-N} folder is whole.
 */
public final class Checkpoints {
  public static final String MODEL = "model.params";
  public static final String OPTIMIZER = "optimizer.bin";
  public static final String STATE = "trainer.properties";
  private static final Pattern NAME = Pattern.compile("step-(\\d+)");

  private Checkpoints() {}

  public static Path folder(Path dir, long step) {
    return dir.resolve(String.format(Locale.ROOT, "step-%08d", step));
  }

  /** The step a checkpoint folder belongs to, or -1 when the name is not a checkpoint's. */
  public static long stepOf(Path folder) {
    Matcher m = NAME.matcher(folder.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /** Complete checkpoint folders in {@code dir}, oldest first. */
  public static List<Path> list(Path dir) {
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> out = new ArrayList<>(s.filter(p -> stepOf(p) >= 0 && Files.isRegularFile(p.resolve(STATE))).toList());
      out.sort((a, b) -> Long.compare(stepOf(a), stepOf(b)));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The newest complete checkpoint in {@code dir}. */
  public static Optional<Path> latest(Path dir) {
    List<Path> all = list(dir);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /**
   * Deletes all but the newest {@code keep} checkpoints ({@code keep == 0}: keeps all), and what a
   * crashed process may have left: half-written {@code .step-N.tmp} folders and half-deleted
   * {@code .deleting-step-N} folders. Call it only while no checkpoint is being written.
   */
  public static void prune(Path dir, int keep) {
    if (!Files.isDirectory(dir)) return;
    try (Stream<Path> s = Files.list(dir)) {
      for (Path leftover : s.filter(p -> {
        String n = p.getFileName().toString();
        return (n.startsWith(".step-") && (n.endsWith(".tmp") || n.endsWith(".old"))) || n.startsWith(".deleting-step-");
      }).toList()) {
        dev.newsrec.core.io.AtomicFiles.deleteRecursively(leftover);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean " + dir + ": " + e.getMessage(), e);
    }
    if (keep <= 0) return;
    List<Path> all = list(dir);
    for (int i = 0; i < all.size() - keep; i++) {
      Path doomed = all.get(i).resolveSibling(".deleting-" + all.get(i).getFileName());
      try {
        // rename first: a crash halfway through deleting never leaves a step-N folder that looks whole
        Files.move(all.get(i), doomed, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        dev.newsrec.core.io.AtomicFiles.deleteRecursively(doomed);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete " + all.get(i) + ": " + e.getMessage(), e);
      }
    }
  }
}
