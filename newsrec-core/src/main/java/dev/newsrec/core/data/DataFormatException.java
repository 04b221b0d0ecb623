package dev.newsrec.core.data;

import java.nio.file.Path;

/**
 * Bad input: names the file, the 1-based line and the field, and says what was expected.
 * The command line prints {@link #getMessage()} without a stack trace and exits non-zero.
 */
public final class DataFormatException extends RuntimeException {
  private final Path file;
  private final long line;
  private final String field;

  public DataFormatException(Path file, long line, String field, String problem) {
    super(format(file, line, field, problem));
    this.file = file;
    this.line = line;
    this.field = field;
  }

  private static String format(Path file, long line, String field, String problem) {
    StringBuilder sb = new StringBuilder();
    sb.append(file == null ? "<input>" : file.toString());
    if (line > 0) sb.append(':').append(line);
    if (field != null) sb.append(": field ").append(field);
    return sb.append(": ").append(problem).toString();
  }

  public Path file() { return file; }

  public long line() { return line; }

  public String field() { return field; }
}
