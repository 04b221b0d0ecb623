package dev.newsrec.core.mind;

/**
 * How readers treat bad lines. Strict (the default) stops at the first bad line with file, line and
 * field; lenient skips it and counts it in the {@link ReadReport}.
 */
public record ReadOptions(boolean lenient) {
  public static final ReadOptions STRICT = new ReadOptions(false);
  public static final ReadOptions LENIENT = new ReadOptions(true);
}
