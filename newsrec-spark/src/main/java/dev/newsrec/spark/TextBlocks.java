package dev.newsrec.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The lines of a text file as a Spark dataset, one partition per byte block cut at a line end, in
 * file order, split as {@link java.io.BufferedReader#readLine} splits (LF, CR or CRLF; a last line
 * without terminator counts). Read with java.nio rather than Hadoop's FileSystem, whose client
 * (3.4.2 in Spark 4.1) still calls {@code Subject.getSubject}, which throws on JDK 24 and later.
 * The file must be readable at the same path on every executor (local mode, or a shared file system).
 */
final class TextBlocks {
  /** Largest block: bounds what a task holds of the file at a time. */
  static final int MAX_BLOCK = 32 << 20;

  private TextBlocks() {}

  record Block(String file, long start, long end) implements Serializable {}

  /** Lines of file in order, in blocks of at least minBytes, at least minBlocks of them when the file is big enough. */
  static JavaRDD<String> lines(JavaSparkContext sc, Path file, int minBlocks, int minBytes) {
    List<Block> blocks = blocks(file, minBlocks, minBytes);
    return sc.parallelize(blocks, Math.max(1, blocks.size())).flatMap(b -> read(b).iterator());
  }

  /** Blocks of at least minBytes (but for the last), at least minBlocks of them when the file is big enough. */
  static List<Block> blocks(Path file, int minBlocks, int minBytes) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      long nominal = Math.max(minBytes, Math.min(MAX_BLOCK, (size + minBlocks - 1) / Math.max(1, minBlocks)));
      List<Block> out = new ArrayList<>();
      long start = 0;
      ByteBuffer buf = ByteBuffer.allocate(1 << 16);
      while (start < size) {
        long end = Math.min(size, start + nominal);
        // move the cut to just after the next '\n' (a CRLF pair stays whole, a UTF-8 sequence too)
        while (end < size) {
          buf.clear();
          int n = ch.read(buf, end);
          if (n <= 0) {
            end = size;
            break;
          }
          int nl = -1;
          for (int i = 0; i < n; i++) {
            if (buf.get(i) == '\n') {
              nl = i;
              break;
            }
          }
          if (nl >= 0) {
            end += nl + 1;
            break;
          }
          end += n;
        }
        out.add(new Block(file.toString(), start, Math.min(end, size)));
        start = end;
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The lines of one block, decoded as UTF-8 (malformed bytes become U+FFFD, as the JDK's readers do). */
  static List<String> read(Block b) {
    int len = (int) (b.end() - b.start());
    ByteBuffer buf = ByteBuffer.allocate(len);
    try (FileChannel ch = FileChannel.open(Path.of(b.file()), StandardOpenOption.READ)) {
      while (buf.hasRemaining()) {
        if (ch.read(buf, b.start() + buf.position()) < 0) throw new IOException("file shrank while read");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + b.file() + ": " + e.getMessage(), e);
    }
    String text = new String(buf.array(), 0, len, StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();
    int s = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        lines.add(text.substring(s, i));
        if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') i++;
        s = i + 1;
      }
    }
    if (s < n) lines.add(text.substring(s));
    return lines;
  }
}
