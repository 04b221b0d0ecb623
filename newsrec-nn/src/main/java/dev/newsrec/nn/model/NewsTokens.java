package dev.newsrec.nn.model;

import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.nn.plm.PlmTokenizer;
import java.util.Arrays;

/**
 * Every title of a corpus tokenised once ([CLS] tokens [SEP], at most maxLength), so samples and
 * evaluation only look token ids up. Titles are never tokenised per sample.
 */
public final class NewsTokens {
  private final int[][] ids;
  private final int padId;
  private final int maxLength;

  private NewsTokens(int[][] ids, int padId, int maxLength) {
    this.ids = ids;
    this.padId = padId;
    this.maxLength = maxLength;
  }

  public static NewsTokens of(NewsCorpus corpus, PlmTokenizer tokenizer, int maxLength) {
    if (maxLength < 3) throw new IllegalArgumentException("title length must be at least 3 tokens");
    int[][] ids = new int[corpus.size()][];
    for (int n = 0; n < corpus.size(); n++) {
      long[] t = tokenizer.tokenize(corpus.get(n).title()).ids();
      int keep = Math.min(t.length, maxLength - 2);
      int[] seq = new int[keep + 2];
      seq[0] = tokenizer.clsId();
      for (int k = 0; k < keep; k++) seq[k + 1] = (int) t[k];
      seq[keep + 1] = tokenizer.sepId();
      ids[n] = seq;
    }
    return new NewsTokens(ids, tokenizer.padId(), maxLength);
  }

  /**
   * The same titles with every token id looked up in {@code map} (original id -> new id; ids
   * outside it or mapped to -1 become {@code unknown}): NRMS's vocabulary of the corpus's tokens.
   */
  public NewsTokens remap(int[] map, int unknown, int pad) {
    int[][] out = new int[ids.length][];
    for (int n = 0; n < ids.length; n++) {
      int[] s = ids[n];
      int[] r = new int[s.length];
      for (int k = 0; k < s.length; k++) {
        int m = s[k] < map.length ? map[s[k]] : -1;
        r[k] = m < 0 ? unknown : m;
      }
      out[n] = r;
    }
    return new NewsTokens(out, pad, maxLength);
  }

  public int size() { return ids.length; }

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
