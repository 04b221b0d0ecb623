package dev.newsrec.core.data;

import java.util.Arrays;

/**
 * The lines of one behaviors.tsv, stored column-wise so MIND-large (2.2 million impressions) fits
 * a small heap: news as corpus indices, candidates and labels in flat arrays, and one history array
 * shared by consecutive impressions of a user whose history did not change.
 */
public final class Impressions {
  /** Label of a candidate in an unlabelled split (MIND-large test). */
  public static final byte NO_LABEL = -1;

  private final NewsCorpus corpus;
  private final IdIndex users;
  private final int size;
  // Impression ids as one char pool (id i = idChars[idEnds[i - 1], idEnds[i])): 2.2 million
  // String objects on MIND-large were a large share of what the garbage collector copied.
  private final char[] idChars;
  private final int[] idEnds;
  private final int[] userIndex;
  private final long[] times;
  // Distinct histories back to back (history k = historyData[historyEnds[k - 1], historyEnds[k]))
  // and each impression's history number: one int[] per user on MIND-large was a million objects
  // for the garbage collector to copy; consecutive equal histories of a user share one number.
  private final int[] historyData;
  private final int[] historyEnds;
  private final int[] historyOf;
  private final int[] offsets;
  private final int[] candidates;
  private final byte[] labels;
  private final boolean labelled;

  private Impressions(Builder b) {
    corpus = b.corpus;
    users = b.users;
    size = b.size;
    idChars = Arrays.copyOf(b.idChars, size == 0 ? 0 : b.idEnds[size - 1]);
    idEnds = Arrays.copyOf(b.idEnds, size);
    userIndex = Arrays.copyOf(b.userIndex, size);
    times = Arrays.copyOf(b.times, size);
    historyEnds = Arrays.copyOf(b.historyEnds, b.historyCount);
    historyData = Arrays.copyOf(b.historyData, b.historyCount == 0 ? 0 : b.historyEnds[b.historyCount - 1]);
    historyOf = Arrays.copyOf(b.historyOf, size);
    offsets = Arrays.copyOf(b.offsets, size + 1);
    candidates = Arrays.copyOf(b.candidates, b.offsets[size]);
    labels = Arrays.copyOf(b.labels, b.offsets[size]);
    labelled = b.labelled;
  }

  public NewsCorpus corpus() { return corpus; }

  public int size() { return size; }

  /** True when every candidate carries a 0/1 label. */
  public boolean labelled() { return labelled; }

  public String impressionId(int i) {
    java.util.Objects.checkIndex(i, size);
    int from = i == 0 ? 0 : idEnds[i - 1];
    return new String(idChars, from, idEnds[i] - from);
  }

  public String userId(int i) { return users.key(userIndex[i]); }

  /** Dense user index within this file, 0..userCount-1. */
  public int userIndex(int i) { return userIndex[i]; }

  public int userCount() { return users.size(); }

  public String user(int u) { return users.key(u); }

  /** Seconds since 1970-01-01T00:00 of the local time written in the file. */
  public long time(int i) { return times[i]; }

  /** Clicked news, oldest first, as corpus indices (a fresh copy). */
  public int[] history(int i) {
    int k = historyOf[i];
    return Arrays.copyOfRange(historyData, historyStart(k), historyEnds[k]);
  }

  /** Number of clicks in impression i's history. */
  public int historyLength(int i) {
    int k = historyOf[i];
    return historyEnds[k] - historyStart(k);
  }

  /**
   * Impression i's history number, 0..distinctHistories()-1: the impressions of a user whose
   * history did not change share one (scorers encode each number once).
   */
  public int historyIndex(int i) { return historyOf[i]; }

  /** Number of distinct history numbers. */
  public int distinctHistories() { return historyEnds.length; }

  private int historyStart(int k) { return k == 0 ? 0 : historyEnds[k - 1]; }

  public int candidateCount(int i) { return offsets[i + 1] - offsets[i]; }

  public int candidate(int i, int j) { return candidates[offsets[i] + j]; }

  /** 1 clicked, 0 not, {@link #NO_LABEL} in an unlabelled split. */
  public int label(int i, int j) { return labels[offsets[i] + j]; }

  /** Offset of impression i's first candidate in {@link #flatCandidates()}. */
  public int offset(int i) { return offsets[i]; }

  public int totalCandidates() { return offsets[size]; }

  /** Clicked candidates (label 1) over all impressions; 0 in an unlabelled split. */
  public long clicks() {
    long n = 0;
    for (int j = 0; j < offsets[size]; j++) if (labels[j] == 1) n++;
    return n;
  }

  /** All candidates in file order; impression i owns [offset(i), offset(i + 1)). */
  public int[] flatCandidates() { return candidates; }

  /** All labels in file order, aligned with {@link #flatCandidates()}. */
  public byte[] flatLabels() { return labels; }

  /** The first n impressions (all when n >= size), for runs capped to a share of the logs. */
  public Impressions head(int n) {
    if (n >= size) return this;
    Builder b = new Builder(corpus);
    for (int i = 0; i < n; i++) {
      b.add(impressionId(i), userId(i), times[i], history(i), candidates, offsets[i],
          offsets[i + 1], labels);
    }
    return b.build();
  }

  /** The impressions for which keep is true, in order. */
  public Impressions filter(java.util.function.IntPredicate keep) {
    Builder b = new Builder(corpus);
    for (int i = 0; i < size; i++) {
      if (keep.test(i)) {
        b.add(impressionId(i), userId(i), times[i], history(i), candidates, offsets[i],
            offsets[i + 1], labels);
      }
    }
    return b.build();
  }

  /**
   * The start (seconds, UTC midnight) of the last calendar day with an impression: a split's
   * last day, held out as validation by {@code data.valid: last_day}.
   */
  public long lastDayStart() {
    long max = Long.MIN_VALUE;
    for (int i = 0; i < size; i++) max = Math.max(max, times[i]);
    return Math.floorDiv(max, 86_400L) * 86_400L;
  }

  public static Builder builder(NewsCorpus corpus) { return new Builder(corpus); }

  /** Appends impressions one by one; the reader and the synthetic world both use it. */
  public static final class Builder {
    private final NewsCorpus corpus;
    private final IdIndex users = new IdIndex();
    private int size;
    private char[] idChars = new char[8192];
    private int[] idEnds = new int[1024];
    private int[] userIndex = new int[1024];
    private long[] times = new long[1024];
    private int[] historyData = new int[16384];
    private int[] historyEnds = new int[1024];
    private int historyCount;
    private int[] historyOf = new int[1024];
    private int[] offsets = new int[1025];
    private int[] candidates = new int[16384];
    private byte[] labels = new byte[16384];
    private int[] lastHistoryOfUser = new int[1024]; // history number + 1, 0 = none yet
    private boolean labelled = true;
    private boolean anyUnlabelled;

    private Builder(NewsCorpus corpus) { this.corpus = corpus; }

    public int size() { return size; }

    public Builder add(String impressionId, String userId, long time, int[] history,
        int[] cands, byte[] labs) {
      return add(impressionId, users.add(userId), time, history, cands, 0, cands.length, labs);
    }

    /** Adds one impression whose candidates are cands[from, to) with labels labs[from, to). */
    Builder add(String impressionId, String userId, long time, int[] history, int[] cands,
        int from, int to, byte[] labs) {
      return add(impressionId, users.add(userId), time, history, cands, from, to, labs);
    }

    /**
     * Adds one impression from slices of a reader's flat arrays: history[hFrom, hTo), candidates
     * cands[from, to) with labels labs[lFrom, lFrom + to - from); nothing is kept but copies.
     */
    public Builder add(String impressionId, String userId, long time, int[] history, int hFrom,
        int hTo, int[] cands, int from, int to, byte[] labs, int lFrom) {
      return add(impressionId, users.add(userId), time, history, hFrom, hTo, cands, from, to, labs,
          lFrom - from);
    }

    Builder add(String impressionId, int user, long time, int[] history, int[] cands, int from,
        int to, byte[] labs) {
      return add(impressionId, user, time, history, 0, history.length, cands, from, to, labs, 0);
    }

    /** labs[from + shift + j] is the label of cands[from + j]. */
    private Builder add(String impressionId, int user, long time, int[] history, int hFrom, int hTo,
        int[] cands, int from, int to, byte[] labs, int shift) {
      if (size == idEnds.length) growRows();
      int n = to - from;
      int end = offsets[size] + n;
      if (end > candidates.length) {
        int cap = Math.max(end, candidates.length + (candidates.length >> 1));
        candidates = Arrays.copyOf(candidates, cap);
        labels = Arrays.copyOf(labels, cap);
      }
      System.arraycopy(cands, from, candidates, offsets[size], n);
      for (int j = 0; j < n; j++) {
        byte l = labs == null ? NO_LABEL : labs[from + shift + j];
        labels[offsets[size] + j] = l;
        if (l == NO_LABEL) anyUnlabelled = true;
      }
      int idFrom = size == 0 ? 0 : idEnds[size - 1];
      int idTo = idFrom + impressionId.length();
      if (idTo > idChars.length) idChars = Arrays.copyOf(idChars, Math.max(idTo, idChars.length * 2));
      impressionId.getChars(0, impressionId.length(), idChars, idFrom);
      idEnds[size] = idTo;
      userIndex[size] = user;
      times[size] = time;
      historyOf[size] = shareHistory(user, history, hFrom, hTo);
      offsets[size + 1] = end;
      size++;
      return this;
    }

    int userIndex(CharSequence line, int start, int end) {
      int u = users.find(line, start, end);
      return u >= 0 ? u : users.add(line.subSequence(start, end).toString());
    }

    /** The history number of history[from, to) for user: the user's last one when equal, else a new one. */
    private int shareHistory(int user, int[] history, int from, int to) {
      if (user >= lastHistoryOfUser.length) {
        lastHistoryOfUser = Arrays.copyOf(lastHistoryOfUser, Math.max(user + 1, lastHistoryOfUser.length * 2));
      }
      int last = lastHistoryOfUser[user] - 1;
      int start = historyCount == 0 ? 0 : historyEnds[historyCount - 1];
      if (last >= 0) {
        int lastStart = last == 0 ? 0 : historyEnds[last - 1];
        if (Arrays.equals(historyData, lastStart, historyEnds[last], history, from, to)) return last;
      }
      int end = start + (to - from);
      if (end > historyData.length) {
        historyData = Arrays.copyOf(historyData, Math.max(end, historyData.length + (historyData.length >> 1)));
      }
      System.arraycopy(history, from, historyData, start, to - from);
      if (historyCount == historyEnds.length) historyEnds = Arrays.copyOf(historyEnds, historyCount * 2);
      historyEnds[historyCount] = end;
      lastHistoryOfUser[user] = historyCount + 1;
      return historyCount++;
    }

    /**
     * Makes room for about rows impressions and candidates candidates in all, so a reader that
     * can estimate them from the file size grows its arrays once instead of copying them at
     * every doubling (on MIND-large those copies went to the old generation and cost full GCs).
     */
    public void reserve(int rows, long candidateCount) {
      long chars = Math.min(Integer.MAX_VALUE - 16, rows * 8L); // ids of a few chars
      if (chars > idChars.length) idChars = Arrays.copyOf(idChars, (int) chars);
      if (rows > idEnds.length) {
        idEnds = Arrays.copyOf(idEnds, rows);
        userIndex = Arrays.copyOf(userIndex, rows);
        times = Arrays.copyOf(times, rows);
        historyOf = Arrays.copyOf(historyOf, rows);
        offsets = Arrays.copyOf(offsets, rows + 1);
      }
      int cap = (int) Math.min(candidateCount, Integer.MAX_VALUE - 16);
      if (cap > candidates.length) {
        candidates = Arrays.copyOf(candidates, cap);
        labels = Arrays.copyOf(labels, cap);
      }
    }

    private void growRows() {
      int cap = idEnds.length * 2;
      idEnds = Arrays.copyOf(idEnds, cap);
      userIndex = Arrays.copyOf(userIndex, cap);
      times = Arrays.copyOf(times, cap);
      historyOf = Arrays.copyOf(historyOf, cap);
      offsets = Arrays.copyOf(offsets, cap + 1);
    }

    public Impressions build() {
      labelled = !anyUnlabelled;
      lastHistoryOfUser = null;
      return new Impressions(this);
    }
  }
}
