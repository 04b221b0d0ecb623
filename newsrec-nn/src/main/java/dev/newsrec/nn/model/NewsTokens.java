package dev.newsrec.nn.model;

import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.nn.plm.tokenizer.PlmTokenizer;
import java.util.Arrays;

/**
 * Every title of a corpus tokenised once ([CLS] tokens [SEP], at most maxLength), so samples and
 * evaluation only look token ids up. Titles are never tokenised per sample.
 */
public final class NewsTokens {
  private int[][] ids;
  private int size;
  private final int padId;
  private final int maxLength;

  private NewsTokens(int[][] ids, int padId, int maxLength) {
    this.ids = ids;
    this.size = ids.length;
    this.padId = padId;
    this.maxLength = maxLength;
  }

  public static NewsTokens of(NewsCorpus corpus, PlmTokenizer tokenizer, int maxLength) {
    if (maxLength < 3) throw new IllegalArgumentException("title length must be at least 3 tokens");
    int[][] ids = new int[corpus.size()][];
    for (int n = 0; n < corpus.size(); n++) ids[n] = title(corpus.get(n).title(), tokenizer, maxLength);
    return new NewsTokens(ids, tokenizer.padId(), maxLength);
  }

  /** One title as {@link #of} tokenises it: [CLS] at most maxLength - 2 tokens [SEP]. */
  public static int[] title(String title, PlmTokenizer tokenizer, int maxLength) {
    long[] t = tokenizer.tokenize(title).ids();
    int keep = Math.min(t.length, maxLength - 2);
    int[] seq = new int[keep + 2];
    seq[0] = tokenizer.clsId();
    for (int k = 0; k < keep; k++) seq[k + 1] = (int) t[k];
    seq[keep + 1] = tokenizer.sepId();
    return seq;
  }

  /** Adds the tokens of news n, the next index (news added at run time). */
  public synchronized void append(int n, int[] tokens) {
    if (n != size) throw new IllegalArgumentException("news " + n + " appended after " + size + " titles");
    if (size == ids.length) ids = Arrays.copyOf(ids, Math.max(16, 2 * size));
    ids[size++] = tokens;
  }

  /**
   * The same titles with every token id looked up in {@code map} (original id -> new id; ids
   * outside it or mapped to -1 become {@code unknown}): NRMS's vocabulary of the corpus's tokens.
   */
  public NewsTokens remap(int[] map, int unknown, int pad) {
    int[][] out = new int[size][];
    for (int n = 0; n < size; n++) {
      out[n] = remap(ids[n], map, unknown);
    }
    return new NewsTokens(out, pad, maxLength);
  }

  /** One title's ids looked up in map (see {@link #remap(int[], int, int)}). */
  public static int[] remap(int[] title, int[] map, int unknown) {
    int[] r = new int[title.length];
    for (int k = 0; k < title.length; k++) {
      int m = title[k] < map.length ? map[title[k]] : -1;
      r[k] = m < 0 ? unknown : m;
    }
    return r;
  }

  public int size() { return size; }

  public int maxLength() { return maxLength; }

  /** Token ids of news n, with [CLS] and [SEP]. */
  public int[] ids(int n) { return ids[n]; }

  /** Padded ids and mask [news.length][longest] for the given news, as flat row-major arrays. */
  public Padded pad(int[] news) {
    int longest = 1;
    for (int n : news) longest = Math.max(longest, ids[n].length);
    long[] flat = new long[news.length * longest];
    long[] mask = new long[news.length * longest];
    Arrays.fill(flat, padId);
    for (int r = 0; r < news.length; r++) {
      int[] s = ids[news[r]];
      for (int k = 0; k < s.length; k++) {
        flat[r * longest + k] = s[k];
        mask[r * longest + k] = 1;
      }
    }
    return new Padded(flat, mask, news.length, longest);
  }

  /** A padded batch of titles: ids and mask, rows x length, row-major. */
  public record Padded(long[] ids, long[] mask, int rows, int length) {}
}
