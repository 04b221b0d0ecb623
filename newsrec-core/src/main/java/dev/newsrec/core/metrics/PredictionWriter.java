package dev.newsrec.core.metrics;

import dev.newsrec.core.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a leaderboard file impression by impression, so a scorer can stream MIND-large without
 * holding every score: lines {@code ImpressionID [r1,r2,...]}. A target ending in {@code .zip}
 * becomes a zip holding one {@code prediction.txt} (with a fixed time stamp, so the same ranks give
 * the same bytes); anything else is plain text. The target is written as {@link AtomicFiles#open}
 * writes it: a regular file goes to a temporary sibling that {@link #commit()} renames over it, so
 * a crash or an error never leaves a half-written prediction (closing without commit deletes the
 * temporary file); {@code -}, {@code /dev/stdout}, a FIFO or a device is written in place.
 */
public final class PredictionWriter implements AutoCloseable {
  /** The name of the text file inside a prediction.zip. */
  public static final String ENTRY = "prediction.txt";

  /** The time stamp of the zip entry: fixed, so that a zip depends on its ranks only. */
  static final LocalDateTime ZIP_TIME = LocalDateTime.of(2020, 1, 1, 0, 0);

  private final Path target;
  private final AtomicFiles.Output output;
  private final OutputStream out;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int[] ranks = new int[64];
  private final Prediction.Ranker ranker = new Prediction.Ranker();
  private final Prediction.Builder checker = Prediction.builder(null);
  private long lines;
  private boolean done;

  private PredictionWriter(Path target) {
    this.target = target;
    this.output = AtomicFiles.open(target);
    OutputStream file = output.stream();
    if (isZip(target)) {
      ZipOutputStream zip = new ZipOutputStream(file);
      ZipEntry entry = new ZipEntry(ENTRY);
      entry.setTimeLocal(ZIP_TIME);
      try {
        zip.putNextEntry(entry);
      } catch (IOException e) {
        output.close();
        throw AtomicFiles.cannotWrite(target, e);
      }
      out = zip;
    } else {
      out = file;
    }
  }

  /** Starts writing target (.zip or text, by its extension; {@code -} is standard output). */
  public static PredictionWriter open(Path target) {
    return new PredictionWriter(target);
  }

  static boolean isZip(Path p) {
    return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
  }

  /** Writes the ranks of scores[from, from + n) (highest = 1; ties in candidate order). */
  public void add(String impressionId, double[] scores, int from, int n) {
    grow(n);
    ranker.ranks(scores, from, n, ranks);
    writeLine(impressionId, ranks, 0, n);
  }

  /** As {@link #add(String, double[], int, int)} for float scores. */
  public void add(String impressionId, float[] scores, int from, int n) {
    grow(n);
    ranker.ranks(scores, from, n, ranks);
    writeLine(impressionId, ranks, 0, n);
  }

  /** Writes ranks[from, from + n), which must be a permutation of 1..n. */
  public void addRanks(String impressionId, int[] r, int from, int n) {
    String problem = checker.checkPermutation(r, from, n);
    if (problem != null) {
      throw new IllegalArgumentException("impression " + impressionId + ": " + problem);
    }
    writeLine(impressionId, r, from, n);
  }

  /** Lines written so far. */
  public long lines() { return lines; }

  private void grow(int n) {
    if (ranks.length < n) ranks = new int[Math.max(n, ranks.length * 2)];
  }

  private void writeLine(String id, int[] r, int from, int n) {
    if (done) throw new IllegalStateException("prediction " + target + " is already closed");
    if (n == 0) throw new IllegalArgumentException("impression " + id + " has no candidates");
    checkId(id);
    try {
      byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
      // worst case: id, space, brackets, newline, and up to 11 bytes per rank with its comma
      long need = idBytes.length + 4L + 11L * n;
      if (buf.length - pos < need) flush();
      if (buf.length < need) {
        writeLarge(idBytes, r, from, n);
      } else {
        System.arraycopy(idBytes, 0, buf, pos, idBytes.length);
        pos += idBytes.length;
        buf[pos++] = ' ';
        buf[pos++] = '[';
        for (int j = 0; j < n; j++) {
          if (j > 0) buf[pos++] = ',';
          pos = putInt(buf, pos, r[from + j]);
        }
        buf[pos++] = ']';
        buf[pos++] = '\n';
      }
      lines++;
    } catch (IOException e) {
      throw AtomicFiles.cannotWrite(target, e);
    }
  }

  private void writeLarge(byte[] idBytes, int[] r, int from, int n) throws IOException {
    StringBuilder sb = new StringBuilder(idBytes.length + 8 * n);
    sb.append(new String(idBytes, StandardCharsets.UTF_8)).append(" [");
    for (int j = 0; j < n; j++) {
      if (j > 0) sb.append(',');
      sb.append(r[from + j]);
    }
    out.write(sb.append("]\n").toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void checkId(String id) {
    if (id.isEmpty()) throw new IllegalArgumentException("empty impression id");
    for (int k = 0; k < id.length(); k++) {
      char c = id.charAt(k);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '[') {
        throw new IllegalArgumentException("impression id '" + id
            + "' contains whitespace or '[', which prediction.txt cannot hold");
      }
    }
  }

  private static int putInt(byte[] b, int p, int v) {
    if (v < 10) {
      b[p] = (byte) ('0' + v);
      return p + 1;
    }
    if (v < 100) {
      b[p] = (byte) ('0' + v / 10);
      b[p + 1] = (byte) ('0' + v % 10);
      return p + 2;
    }
    int digits = 0;
    for (int t = v; t > 0; t /= 10) digits++;
    for (int k = digits - 1; k >= 0; k--) {
      b[p + k] = (byte) ('0' + v % 10);
      v /= 10;
    }
    return p + digits;
  }

  private void flush() throws IOException {
    out.write(buf, 0, pos);
    pos = 0;
  }

  /** Finishes the file and renames it over the target. */
  public void commit() {
    if (done) throw new IllegalStateException("prediction " + target + " is already closed");
    done = true;
    try {
      flush();
      // finish, not close: the output closes (or, for standard output, keeps open) the stream
      if (out instanceof ZipOutputStream zip) zip.finish();
    } catch (IOException e) {
      output.close();
      throw AtomicFiles.cannotWrite(target, e);
    }
    output.commit();
  }

  /** Without a prior {@link #commit()}, abandons the file: the target is left as it was. */
  @Override
  public void close() {
    if (done) return;
    done = true;
    output.close();
  }
}
