package dev.newsrec.nn.rec;

import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.sample.HistoryPolicy;
import dev.newsrec.core.sample.NceSampler;
import dev.newsrec.nn.train.BatchSource;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Batches of NCE samples, epoch after epoch (the last short batch of an epoch is dropped). The
 * position is (epoch, sample cursor); an epoch's samples depend only on (seed, epoch).
 */
public final class NceBatches implements BatchSource<NceBatch> {
  private final Impressions imps;
  private final NceSampler sampler;
  private final int batchSize;
  private final int maxHistory;
  private final HistoryPolicy policy;
  private int epoch;
  private int cursor;
  private NceSampler.Epoch current;

  public NceBatches(Impressions imps, NceSampler sampler, int batchSize, int maxHistory,
      HistoryPolicy policy) {
    if (sampler.samplesPerEpoch() < batchSize) {
      throw new IllegalArgumentException("the training data gives " + sampler.samplesPerEpoch()
          + " samples, fewer than one batch of " + batchSize);
    }
    this.imps = imps;
    this.sampler = sampler;
    this.batchSize = batchSize;
    this.maxHistory = maxHistory;
    this.policy = policy;
  }

  public int batchesPerEpoch() { return sampler.samplesPerEpoch() / batchSize; }

  public int epoch() { return epoch; }

  @Override
  public NceBatch next() {
    if (current == null) current = sampler.epoch(epoch);
    if (cursor + batchSize > current.size()) {
      epoch++;
      cursor = 0;
      current = sampler.epoch(epoch);
    }
    NceBatch b = build(current, cursor, batchSize);
    cursor += batchSize;
    return b;
  }

  private NceBatch build(NceSampler.Epoch e, int from, int n) {
    Map<Integer, Integer> position = new HashMap<>();
    int[] news = new int[16];
    int g = e.group();
    int[][] cands = new int[n][g];
    int[][] hist = new int[n][];
    int[] targets = new int[n];
    int longest = 1;
    for (int b = 0; b < n; b++) {
      int s = from + b;
      for (int k = 0; k < g; k++) {
        int x = e.candidate(s, k);
        Integer p = position.get(x);
        if (p == null) {
          p = position.size();
          position.put(x, p);
          if (p == news.length) news = Arrays.copyOf(news, p * 2);
          news[p] = x;
        }
        cands[b][k] = p;
      }
      int[] h = policy.truncate(imps.history(e.impression()[s]), maxHistory);
      hist[b] = new int[h.length];
      for (int l = 0; l < h.length; l++) {
        Integer p = position.get(h[l]);
        if (p == null) {
          p = position.size();
          position.put(h[l], p);
          if (p == news.length) news = Arrays.copyOf(news, p * 2);
          news[p] = h[l];
        }
        hist[b][l] = p;
      }
      longest = Math.max(longest, h.length);
      targets[b] = e.target()[s];
    }
    int[][] padded = new int[n][longest];
    for (int b = 0; b < n; b++) {
      Arrays.fill(padded[b], -1);
      System.arraycopy(hist[b], 0, padded[b], 0, hist[b].length);
    }
    return new NceBatch(Arrays.copyOf(news, position.size()), cands, padded, targets);
  }

  @Override
  public byte[] saveState() {
    return ByteBuffer.allocate(8).putInt(epoch).putInt(cursor).array();
  }

  @Override
  public void restoreState(byte[] state) {
    ByteBuffer b = ByteBuffer.wrap(state);
    epoch = b.getInt();
    cursor = b.getInt();
    current = null;
  }
}
