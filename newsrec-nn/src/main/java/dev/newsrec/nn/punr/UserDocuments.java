package dev.newsrec.nn.punr;

import dev.newsrec.core.sample.HistoryPolicy;
import dev.newsrec.nn.model.NewsTokens;
import java.util.Arrays;
import java.util.List;

/**
 * PUNR's user document: the clicked titles, oldest first, as {@code [CLS] t1 [SEP] t2 [SEP] ...}
 * (each title's own [CLS] dropped), with a behaviour-segment id per token.
 *
 * <p>Segment numbering follows the authors' code ({@code pretrain/data.py, mask_news_history}):
 * behaviours are numbered from 0, the k-th kept title and its trailing [SEP] get segment k, and
 * [CLS] shares segment 0 with the first title. So 50 behaviours fit a 50-row table exactly, and a
 * candidate title, which uses segment 0 everywhere, is exactly a one-behaviour document.
 *
 * <p>At most {@code maxBehaviours} clicks are kept (the history policy picks the most recent or
 * the oldest), each title at most {@code titleTokens} ([CLS] and [SEP] counted, as
 * {@link NewsTokens}), the document at most {@code docTokens}: when it is longer the oldest whole
 * behaviours are dropped first (the authors cut the token sequence at 512 instead, losing the
 * newest titles' tail). An empty history gives the placeholder document {@code [CLS] [SEP]}.
 */
public final class UserDocuments {
  private final NewsTokens titles;
  private final int cls;
  private final int sep;
  private final int pad;
  private final int maxBehaviours;
  private final HistoryPolicy policy;
  private final int titleTokens;
  private final int docTokens;

  public UserDocuments(NewsTokens titles, int clsId, int sepId, int padId, int maxBehaviours,
      HistoryPolicy policy, int titleTokens, int docTokens) {
    if (maxBehaviours < 1 || titleTokens < 3 || docTokens < 3) {
      throw new IllegalArgumentException("need maxBehaviours >= 1, titleTokens and docTokens >= 3");
    }
    this.titles = titles;
    this.cls = clsId;
    this.sep = sepId;
    this.pad = padId;
    this.maxBehaviours = maxBehaviours;
    this.policy = policy;
    this.titleTokens = titleTokens;
    this.docTokens = docTokens;
  }

  /**
   * One user document.
   *
   * @param ids token ids, [CLS] first, each title followed by [SEP]
   * @param segments behaviour-segment id per token
   * @param news corpus indices of the kept behaviours, oldest first
   * @param spanStart position of behaviour k's first title token (after [CLS] or the previous [SEP])
   * @param spanEnd position one past behaviour k's last title token (its [SEP])
   */
  public record Document(int[] ids, int[] segments, int[] news, int[] spanStart, int[] spanEnd) {
    public int length() { return ids.length; }

    public int behaviours() { return news.length; }
  }

  /** The document of a history (corpus indices, oldest first). */
  public Document build(int[] history) {
    int[] kept = policy.truncate(history, maxBehaviours);
    if (kept.length == 0) {
      return new Document(new int[] {cls, sep}, new int[2], new int[0], new int[0], new int[0]);
    }
    int[][] content = new int[kept.length][];
    for (int k = 0; k < kept.length; k++) {
      int[] t = titles.ids(kept[k]);
      // NewsTokens titles are [CLS] tokens [SEP]: keep the tokens, at most titleTokens - 2.
      int from = t.length > 0 && t[0] == cls ? 1 : 0;
      int to = t.length > from && t[t.length - 1] == sep ? t.length - 1 : t.length;
      content[k] = Arrays.copyOfRange(t, from, Math.min(to, from + titleTokens - 2));
    }
    int first = 0;
    int length = 1;
    for (int[] c : content) length += c.length + 1;
    while (length > docTokens && kept.length - first > 1) {
      length -= content[first].length + 1;
      first++;
    }
    if (length > docTokens) {
      // One behaviour longer than the document (doc_tokens < title_tokens): cut its tail.
      content[first] = Arrays.copyOf(content[first], docTokens - 2);
      length = docTokens;
    }
    int n = kept.length - first;
    int[] ids = new int[length];
    int[] segments = new int[length];
    int[] start = new int[n];
    int[] end = new int[n];
    ids[0] = cls;
    int pos = 1;
    for (int k = 0; k < n; k++) {
      int[] c = content[first + k];
      start[k] = pos;
      System.arraycopy(c, 0, ids, pos, c.length);
      Arrays.fill(segments, pos, pos + c.length + 1, k);
      pos += c.length;
      end[k] = pos;
      ids[pos++] = sep;
    }
    return new Document(ids, segments, Arrays.copyOfRange(kept, first, kept.length), start, end);
  }

  /** Padded [rows x longest] ids, mask and segments (row-major), for a batch of documents. */
  public record Padded(long[] ids, long[] mask, long[] segments, int rows, int length) {}

  /** Pads documents (or any id sequences with their segments) to the longest. */
  public Padded pad(List<int[]> ids, List<int[]> segments) {
    return pad(ids, segments, pad);
  }

  public static Padded pad(List<int[]> ids, List<int[]> segments, int padId) {
    int longest = 1;
    for (int[] d : ids) longest = Math.max(longest, d.length);
    int rows = ids.size();
    long[] flat = new long[rows * longest];
    long[] mask = new long[rows * longest];
    long[] seg = new long[rows * longest];
    Arrays.fill(flat, padId);
    for (int r = 0; r < rows; r++) {
      int[] d = ids.get(r);
      int[] s = segments == null ? null : segments.get(r);
      for (int k = 0; k < d.length; k++) {
        flat[r * longest + k] = d[k];
        mask[r * longest + k] = 1;
        seg[r * longest + k] = s == null ? 0 : s[k];
      }
    }
    return new Padded(flat, mask, seg, rows, longest);
  }

  public int clsId() { return cls; }

  public int sepId() { return sep; }

  public int padId() { return pad; }

  public NewsTokens titles() { return titles; }
}
