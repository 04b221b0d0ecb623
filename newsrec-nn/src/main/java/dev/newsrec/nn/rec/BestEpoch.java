package dev.newsrec.nn.rec;

import dev.newsrec.core.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The epoch with the best validation AUC so far, with a copy of its weights in a folder of the
 * run ({@code best.json}, {@code model.params}), so a resumed run still knows it.
 */
final class BestEpoch {
  private final Path dir;
  private int epoch;
  private double auc = Double.NEGATIVE_INFINITY;

  BestEpoch(Path dir) { this.dir = dir; }

  int epoch() { return epoch; }

  double auc() { return auc; }

  Path weights() { return dir.resolve("model.params"); }

  /** Whether this epoch is the best so far (ties keep the earlier one); it becomes the best. */
  boolean offer(int epoch, double auc) {
    if (!(auc > this.auc)) return false;
    this.epoch = epoch;
    this.auc = auc;
    return true;
  }

  void write() {
    AtomicFiles.writeString(dir.resolve("best.json"),
        String.format(Locale.ROOT, "{\"epoch\":%d,\"auc\":%s}%n", epoch, Double.toString(auc)));
  }

  /** Reads what an interrupted run wrote (nothing when it had finished no epoch). */
  void read() {
    Path f = dir.resolve("best.json");
    if (!Files.isRegularFile(f)) return;
    try {
      var n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(f.toFile());
      epoch = n.get("epoch").asInt();
      auc = n.get("auc").asDouble();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }
}
