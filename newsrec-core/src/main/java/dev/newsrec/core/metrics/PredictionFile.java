package dev.newsrec.core.metrics;

import dev.newsrec.core.UserException;
import dev.newsrec.core.data.DataFormatException;
import dev.newsrec.core.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads and writes the MIND leaderboard file: {@code prediction.txt}, one line
 * {@code ImpressionID [r1,r2,...]} per impression in input order (r_j = 1-based rank of the j-th
 * candidate, 1 = best, no spaces inside the brackets), or {@code prediction.zip} holding it. The
 * format is chosen by the file name's extension.
 */
public final class PredictionFile {
  private PredictionFile() {}

  /** Writes prediction atomically to target (.zip or text). */
  public static void write(Path target, Prediction prediction) {
    try (PredictionWriter w = PredictionWriter.open(target)) {
      int[] ranks = prediction.flatRanks();
      for (int i = 0; i < prediction.size(); i++) {
        w.addRanks(prediction.impressionId(i), ranks, prediction.offset(i),
            prediction.candidateCount(i));
      }
      w.commit();
    }
  }

  /**
   * Reads a prediction.txt or a zip holding one (the entry named prediction.txt, or its only
   * file). Blank lines are skipped; every other line must be {@code ID [ranks]} with the ranks a
   * permutation of 1..n; spaces around the ranks and a trailing carriage return are tolerated.
   *
   * @throws DataFormatException naming file, line and field on a bad line
   * @throws UserException when the file is missing or a zip holds no prediction
   */
  public static Prediction read(Path file) {
    return read(file, false);
  }

  /**
   * As {@link #read}, for a prediction that {@link Prediction#checkMatches} checks next: ranks that
   * are not a permutation are reported there, after the impression id and the rank count, so that
   * a line with a rank too few or too many reads "N ranks for M candidates", its real cause.
   */
  public static Prediction readToMatch(Path file) {
    return read(file, true);
  }

  private static Prediction read(Path file, boolean toMatch) {
    if (Files.isDirectory(file)) {
      throw new UserException("prediction file " + file + " is a directory, not a file");
    }
    try {
      if (PredictionWriter.isZip(file)) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
          ZipEntry entry = findEntry(zip, file);
          try (InputStream in = zip.getInputStream(entry)) {
            Path source = Path.of(file + "!/" + entry.getName());
            return parse(in, source, builder(source, toMatch));
          }
        }
      }
      try (InputStream in = Files.newInputStream(file)) {
        return parse(in, file, builder(file, toMatch));
      }
    } catch (NoSuchFileException e) {
      throw new UserException("prediction file " + file + " does not exist");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + AtomicFiles.reason(e), e);
    }
  }

  private static Prediction.Builder builder(Path source, boolean toMatch) {
    return toMatch ? Prediction.builderToMatch(source) : Prediction.builder(source);
  }

  private static ZipEntry findEntry(ZipFile zip, Path file) {
    List<ZipEntry> files = new ArrayList<>();
    for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
      ZipEntry e = en.nextElement();
      if (e.isDirectory()) continue;
      String name = e.getName();
      if (name.equals(PredictionWriter.ENTRY) || name.endsWith("/" + PredictionWriter.ENTRY)) {
        return e;
      }
      files.add(e);
    }
    if (files.size() == 1) return files.get(0);
    throw new UserException(file + " holds no " + PredictionWriter.ENTRY + " (it has "
        + files.size() + " files)");
  }

  /** Parses prediction lines from in; source names the file in error messages. */
  static Prediction parse(InputStream in, Path source) throws IOException {
    return parse(in, source, Prediction.builder(source));
  }

  private static Prediction parse(InputStream in, Path source, Prediction.Builder builder)
      throws IOException {
    LineParser p = new LineParser(builder, source);
    byte[] buf = new byte[1 << 16];
    int start = 0;
    int end = 0;
    int line = 0;
    while (true) {
      int nl = -1;
      for (int k = start; k < end; k++) {
        if (buf[k] == '\n') {
          nl = k;
          break;
        }
      }
      if (nl >= 0) {
        p.parse(buf, start, nl, ++line);
        start = nl + 1;
        continue;
      }
      // no complete line left: keep the partial one, fill the rest of the buffer
      if (start > 0) {
        System.arraycopy(buf, start, buf, 0, end - start);
        end -= start;
        start = 0;
      }
      if (end == buf.length) buf = java.util.Arrays.copyOf(buf, buf.length * 2);
      int read = in.read(buf, end, buf.length - end);
      if (read < 0) {
        if (end > start) p.parse(buf, start, end, ++line);
        break;
      }
      end += read;
    }
    return builder.build();
  }

  /** Parses one line at a time into the builder. */
  private static final class LineParser {
    private final Prediction.Builder builder;
    private final Path source;
    private int[] ranks = new int[512];

    LineParser(Prediction.Builder builder, Path source) {
      this.builder = builder;
      this.source = source;
    }

    void parse(byte[] b, int start, int end, int line) {
      if (line == 1 && end - start >= 3 && b[start] == (byte) 0xEF && b[start + 1] == (byte) 0xBB
          && b[start + 2] == (byte) 0xBF) {
        start += 3; // a UTF-8 byte order mark, as some editors write
      }
      while (end > start && isSpace(b[end - 1])) end--;
      while (start < end && isSpace(b[start])) start++;
      if (start == end) return;
      int idEnd = start;
      while (idEnd < end && !isSpace(b[idEnd]) && b[idEnd] != '[') idEnd++;
      if (idEnd == start) throw error(line, "ImpressionID", "missing impression id before '['");
      String id = new String(b, start, idEnd - start, StandardCharsets.UTF_8);
      int k = idEnd;
      while (k < end && isSpace(b[k])) k++;
      if (k == end || b[k] != '[') {
        throw error(line, "ranks", "impression " + id
            + ": expected '[' followed by the ranks after the impression id, found "
            + (k == end ? "end of line" : "'" + (char) (b[k] & 0xff) + "'"));
      }
      if (b[end - 1] != ']') {
        throw error(line, "ranks", "impression " + id + ": missing ']' at the end of the line");
      }
      k++;
      int close = end - 1;
      int n = 0;
      while (true) {
        while (k < close && b[k] == ' ') k++;
        int digitsStart = k;
        long v = 0;
        while (k < close && b[k] >= '0' && b[k] <= '9') {
          if (v <= Integer.MAX_VALUE) v = v * 10 + (b[k] - '0');
          k++;
        }
        if (k == digitsStart) {
          if (n == 0 && k == close) break; // "[]": the builder reports the missing ranks
          throw error(line, "ranks", "impression " + id + ": expected a rank at position "
              + (n + 1) + ", found " + (k == close ? "nothing" : "'" + (char) (b[k] & 0xff) + "'"));
        }
        while (k < close && b[k] == ' ') k++;
        if (n == ranks.length) ranks = java.util.Arrays.copyOf(ranks, n * 2);
        ranks[n++] = (int) Math.min(v, Integer.MAX_VALUE);
        if (k == close) break;
        if (b[k] != ',') {
          throw error(line, "ranks", "impression " + id + ": expected ',' or ']' after rank "
              + n + ", found '" + (char) (b[k] & 0xff) + "'");
        }
        k++;
      }
      builder.add(id, line, ranks, 0, n);
    }

    private DataFormatException error(int line, String field, String problem) {
      return new DataFormatException(source, line, field, problem);
    }

    private static boolean isSpace(byte c) {
      return c == ' ' || c == '\t' || c == '\r';
    }
  }
}
