package dev.newsrec.nn.rec;

/**
 * One NCE training batch, deduplicated: every distinct news of the batch (candidates and
 * histories) is encoded once. candidates[b][k] and history[b][l] index into {@code news};
 * history rows are padded with -1.
 *
 * @param news distinct news (corpus indices) of the batch
 * @param candidates [B][1+K] positions in news
 * @param history [B][L] positions in news, -1 = padding
 * @param targets [B] index of the clicked candidate
 */
public record NceBatch(int[] news, int[][] candidates, int[][] history, int[] targets) {
  public int size() { return targets.length; }
}
