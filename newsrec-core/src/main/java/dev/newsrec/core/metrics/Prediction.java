package dev.newsrec.core.metrics;

import dev.newsrec.core.data.DataFormatException;
import dev.newsrec.core.data.Impressions;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The content of a leaderboard file: per impression its id and the 1-based rank of each candidate
 * (1 = best), stored column-wise. Ranks come from scores as {@code argsort(argsort(-p)) + 1} with
 * ties broken by candidate order (the earlier candidate gets the better rank).
 */
public final class Prediction {
  private final Path source;
  private final int size;
  private final String[] impressionIds;
  private final int[] lines;
  private final int[] offsets;
  private final int[] ranks;
  /** The first line whose ranks are not a permutation, left for checkMatches (or null). */
  private final DataFormatException rankProblem;
  private final int rankProblemIndex;

  private Prediction(Builder b) {
    source = b.source;
    size = b.size;
    impressionIds = Arrays.copyOf(b.impressionIds, size);
    lines = Arrays.copyOf(b.lines, size);
    offsets = Arrays.copyOf(b.offsets, size + 1);
    ranks = Arrays.copyOf(b.ranks, b.offsets[size]);
    rankProblem = b.rankProblem;
    rankProblemIndex = b.rankProblemIndex;
  }

  /** The file this was read from, or null. */
  public Path source() { return source; }

  public int size() { return size; }

  public String impressionId(int i) { return impressionIds[i]; }

  /** 1-based line of impression i in its file (blank lines are skipped when reading). */
  public int line(int i) { return lines[i]; }

  public int candidateCount(int i) { return offsets[i + 1] - offsets[i]; }

  public int rank(int i, int j) { return ranks[offsets[i] + j]; }

  public int offset(int i) { return offsets[i]; }

  /** All ranks in file order; impression i owns [offset(i), offset(i + 1)). */
  public int[] flatRanks() { return ranks; }

  /** Ranks for truth's impressions from flat scores aligned with truth's candidates. */
  public static Prediction fromScores(Impressions truth, double[] flatScores) {
    checkLength(truth, flatScores.length);
    return fromScores(truth, (ranker, from, n, out) -> ranker.ranks(flatScores, from, n, out));
  }

  /** As {@link #fromScores(Impressions, double[])} for float scores. */
  public static Prediction fromScores(Impressions truth, float[] flatScores) {
    checkLength(truth, flatScores.length);
    return fromScores(truth, (ranker, from, n, out) -> ranker.ranks(flatScores, from, n, out));
  }

  /** Ranks one impression's candidates [from, from + n) into out, whatever the score type. */
  private interface RankRange {
    void ranks(Ranker ranker, int from, int n, int[] out);
  }

  private static Prediction fromScores(Impressions truth, RankRange scores) {
    Builder b = builder(null);
    int[] r = new int[16];
    Ranker ranker = new Ranker();
    for (int i = 0; i < truth.size(); i++) {
      int n = truth.candidateCount(i);
      if (r.length < n) r = new int[n];
      scores.ranks(ranker, truth.offset(i), n, r);
      b.add(truth.impressionId(i), r, 0, n);
    }
    return b.build();
  }

  private static void checkLength(Impressions truth, int length) {
    if (length != truth.totalCandidates()) {
      throw new IllegalArgumentException(length + " scores for " + truth.totalCandidates()
          + " candidates");
    }
  }

  /**
   * Checks that this prediction answers truth: the same impression ids in the same order, each
   * once, the same number of candidates in each, and (for a prediction read with {@link
   * PredictionFile#readToMatch}) ranks that are a permutation, checked after the count so that a
   * missing rank is reported as a wrong count.
   *
   * @throws DataFormatException naming this prediction's file, the line and the impression id
   */
  public void checkMatches(Impressions truth) {
    int common = Math.min(size, truth.size());
    for (int i = 0; i < common; i++) {
      if (!impressionIds[i].equals(truth.impressionId(i))) {
        checkNotRepeated(i);
        throw new DataFormatException(source, lines[i], "ImpressionID", "expected impression id "
            + truth.impressionId(i) + " (impression " + (i + 1) + " of the truth, in its order), found "
            + impressionIds[i]);
      }
      int n = candidateCount(i);
      int expected = truth.candidateCount(i);
      if (n != expected) {
        throw new DataFormatException(source, lines[i], "ranks", "impression " + impressionIds[i]
            + ": " + n + " ranks for " + expected + " candidates (the truth's impression "
            + impressionIds[i] + " has " + expected + ")");
      }
      if (i == rankProblemIndex) throw rankProblem;
    }
    if (size < truth.size()) {
      throw new DataFormatException(source, size == 0 ? 0 : lines[size - 1] + 1, "ImpressionID",
          "prediction ends after " + size + " impressions but the truth has " + truth.size()
              + "; first missing impression id " + truth.impressionId(size));
    }
    if (size > truth.size()) {
      checkNotRepeated(common);
      throw new DataFormatException(source, lines[common], "ImpressionID", "impression id "
          + impressionIds[common] + " is not in the truth, which has only " + truth.size()
          + " impressions");
    }
    if (rankProblem != null) throw rankProblem;
  }

  /** A repeated line is the cause of a mismatch at i when impression i's id came earlier. */
  private void checkNotRepeated(int i) {
    for (int j = 0; j < i; j++) {
      if (impressionIds[j].equals(impressionIds[i])) {
        throw new DataFormatException(source, lines[i], "ImpressionID", "impression id "
            + impressionIds[i] + " is repeated: lines " + lines[j] + " and " + lines[i]
            + " (each impression must appear once, in the truth's order)");
      }
    }
  }

  public static Builder builder(Path source) { return new Builder(source, false); }

  /** A builder that leaves ranks that are not a permutation to {@link #checkMatches}. */
  static Builder builderToMatch(Path source) { return new Builder(source, true); }

  /** Appends impressions one by one; validates that ranks are a permutation of 1..n. */
  public static final class Builder {
    private final Path source;
    private int size;
    private String[] impressionIds = new String[1024];
    private int[] lines = new int[1024];
    private int[] offsets = new int[1025];
    private int[] ranks = new int[16384];
    private int[] seen = new int[64];
    private int stamp;
    private final boolean deferRankProblems;
    private DataFormatException rankProblem;
    private int rankProblemIndex = -1;

    private Builder(Path source, boolean deferRankProblems) {
      this.source = source;
      this.deferRankProblems = deferRankProblems;
    }

    public int size() { return size; }

    /** Adds an impression whose ranks are ranks[from, from + n); it is line size() + 1. */
    public Builder add(String impressionId, int[] ranks, int from, int n) {
      return add(impressionId, size + 1, ranks, from, n);
    }

    Builder add(String impressionId, int line, int[] r, int from, int n) {
      String problem = checkPermutation(r, from, n);
      if (problem != null) {
        DataFormatException e = new DataFormatException(source, line, "ranks", "impression "
            + impressionId + ": " + problem);
        if (!deferRankProblems) throw e;
        if (rankProblem == null) {
          rankProblem = e;
          rankProblemIndex = size;
        }
      }
      if (size == impressionIds.length) {
        int cap = size * 2;
        impressionIds = Arrays.copyOf(impressionIds, cap);
        lines = Arrays.copyOf(lines, cap);
        offsets = Arrays.copyOf(offsets, cap + 1);
      }
      int start = offsets[size];
      if (start + n > ranks.length) {
        ranks = Arrays.copyOf(ranks, Math.max(start + n, ranks.length + (ranks.length >> 1)));
      }
      System.arraycopy(r, from, ranks, start, n);
      impressionIds[size] = impressionId;
      lines[size] = line;
      offsets[size + 1] = start + n;
      size++;
      return this;
    }

    /** Null when r[from, from + n) is a permutation of 1..n, else what is wrong. */
    String checkPermutation(int[] r, int from, int n) {
      if (n == 0) return "no ranks: expected a permutation of 1..n for n >= 1 candidates";
      if (seen.length <= n) seen = new int[Math.max(n + 1, seen.length * 2)];
      if (++stamp == Integer.MAX_VALUE) {
        Arrays.fill(seen, 0);
        stamp = 1;
      }
      for (int j = 0; j < n; j++) {
        int v = r[from + j];
        if (v < 1 || v > n) {
          return "rank " + v + " (position " + (j + 1) + ") is outside 1.." + n
              + ": ranks must be a permutation of 1.." + n;
        }
        if (seen[v] == stamp) {
          return "rank " + v + " appears twice: ranks must be a permutation of 1.." + n;
        }
        seen[v] = stamp;
      }
      return null;
    }

    public Prediction build() { return new Prediction(this); }
  }

  /** Turns scores into ranks; reusable, not thread safe. */
  public static final class Ranker {
    private final ScoreOrder sorter = new ScoreOrder();

    /**
     * Writes into out[0, n) the 1-based rank of each of scores[from, from + n), highest score
     * rank 1, equal scores ranked in candidate order.
     */
    public void ranks(double[] scores, int from, int n, int[] out) {
      sorter.load(scores, from, n);
      write(n, out);
    }

    /** As {@link #ranks(double[], int, int, int[])} for float scores. */
    public void ranks(float[] scores, int from, int n, int[] out) {
      sorter.load(scores, from, n);
      write(n, out);
    }

    private void write(int n, int[] out) {
      sorter.sort(n);
      int[] order = sorter.order;
      for (int k = 0; k < n; k++) out[order[k]] = k + 1;
    }
  }
}
