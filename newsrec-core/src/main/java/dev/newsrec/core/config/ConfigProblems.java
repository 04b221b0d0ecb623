package dev.newsrec.core.config;

import dev.newsrec.core.UserException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The problems found in a config, each naming its key, the value found and what is allowed, so
 * that one message lists them all. A config record checks its values into one of these in its
 * constructor and calls {@link #throwIfAny()}; binding collects those of every record and throws
 * them together as one {@link UserException}.
 */
public final class ConfigProblems {
  /** One problem; {@code key} is relative to where it was found ("" when the message names it). */
  public record Problem(String key, String message) {
    public String line() { return key.isEmpty() ? message : key + ": " + message; }
  }

  /** A record built with bad values: the binder reads the problems back and prefixes their keys. */
  public static final class Invalid extends IllegalArgumentException {
    private final List<Problem> problems;

    Invalid(List<Problem> problems) {
      super(String.join("; ", problems.stream().map(Problem::line).toList()));
      this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() { return problems; }
  }

  private final List<Problem> problems;
  private final String prefix;

  public ConfigProblems() { this(new ArrayList<>(), ""); }

  private ConfigProblems(List<Problem> problems, String prefix) {
    this.problems = problems;
    this.prefix = prefix;
  }

  /** A view that adds to the same list with keys under {@code key}. */
  public ConfigProblems at(String key) { return new ConfigProblems(problems, join(prefix, key)); }

  public void add(String key, String message) { problems.add(new Problem(join(prefix, key), message)); }

  public boolean isEmpty() { return problems.isEmpty(); }

  public List<Problem> problems() { return List.copyOf(problems); }

  public void atLeast(String key, Integer value, int min) {
    if (value != null && value < min) add(key, found(value) + ", allowed >= " + min);
  }

  public void between(String key, Integer value, int min, int max) {
    if (value != null && (value < min || value > max)) {
      add(key, found(value) + ", allowed range [" + min + ", " + max + "]");
    }
  }

  public void atLeast(String key, Double value, double min) {
    if (value != null && !(value >= min && Double.isFinite(value))) {
      add(key, found(value) + ", allowed a finite number >= " + number(min));
    }
  }

  /** min <= value <= max. */
  public void between(String key, Double value, double min, double max) {
    if (value != null && !(value >= min && value <= max)) {
      add(key, found(value) + ", allowed range [" + number(min) + ", " + number(max) + "]");
    }
  }

  /** 0 <= value < 1, e.g. a dropout probability. */
  public void fraction(String key, Double value) {
    if (value != null && !(value >= 0 && value < 1)) add(key, found(value) + ", allowed range [0, 1)");
  }

  public void oneOf(String key, String value, String... allowed) {
    if (value != null && !Arrays.asList(allowed).contains(value)) {
      add(key, "found '" + value + "', allowed one of: " + String.join(", ", allowed));
    }
  }

  /** {@code value} fully matches {@code regex}; {@code allowed} says it in words. */
  public void matches(String key, String value, String regex, String allowed) {
    if (value != null && !value.matches(regex)) add(key, "found '" + value + "', allowed " + allowed);
  }

  public void required(String key, Object value, String what) {
    if (value == null || value instanceof String s && s.isBlank()) add(key, "required (" + what + ")");
  }

  /** A folder the run reads: it must exist, be a folder and be readable. */
  public boolean readableFolder(String key, String folder) {
    if (folder == null) return false;
    Path dir = Path.of(folder);
    String where = dir.isAbsolute() ? "" : " (relative to " + Path.of("").toAbsolutePath() + ")";
    if (!Files.exists(dir)) {
      add(key, folder + ": no such folder" + where);
    } else if (!Files.isDirectory(dir)) {
      add(key, folder + ": is a file, expected a folder");
    } else if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
      add(key, folder + ": cannot be read (permission denied)");
    } else {
      return true;
    }
    return false;
  }

  /** For a record's constructor: an {@link IllegalArgumentException} listing the problems. */
  public void throwIfAny() {
    if (!problems.isEmpty()) throw new Invalid(problems);
  }

  /** One user error for the config {@code source}: one line per problem. */
  public void throwIfAny(String source) {
    if (problems.isEmpty()) return;
    if (problems.size() == 1) throw new UserException("config " + source + ": " + problems.get(0).line());
    StringBuilder sb = new StringBuilder("config " + source + ": " + problems.size() + " problems:");
    for (Problem p : problems) sb.append("\n  ").append(p.line());
    throw new UserException(sb.toString());
  }

  static String join(String a, String b) {
    if (a.isEmpty()) return b;
    return b.isEmpty() ? a : a + "." + b;
  }

  private static String found(Object value) {
    return "found " + (value instanceof Double d ? number(d) : String.valueOf(value));
  }

  /** 1.0E-4 as 0.0001 and -1.0 as -1: as a user writes them. */
  static String number(double v) {
    if (!Double.isFinite(v)) return Double.isNaN(v) ? ".nan" : v > 0 ? ".inf" : "-.inf";
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
