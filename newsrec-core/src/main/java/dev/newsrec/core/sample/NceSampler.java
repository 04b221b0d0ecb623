package dev.newsrec.core.sample;

import dev.newsrec.core.data.Impressions;
import java.util.SplittableRandom;

/**
 * Training samples for noise-contrastive estimation (both papers): every clicked candidate with K
 * non-clicked candidates of the same impression (with repetition when the impression has fewer than
 * K; impressions without any non-clicked candidate give no sample), the positive at a random
 * position. One epoch's samples are drawn and shuffled from (seed, epoch) alone, so a position
 * (epoch, cursor) is all a checkpoint needs to resume.
 */
public final class NceSampler {
  private final Impressions imps;
  private final int negatives;
  private final long seed;
  private final int samplesPerEpoch;
  private final long skippedImpressions;

  /** One epoch's samples, column-wise. */
  public record Epoch(int[] impression, int[] candidates, int[] target, int group) {
    public int size() { return impression.length; }

    /** News (corpus index) at position k of sample s; group = 1 + K candidates per sample. */
    public int candidate(int s, int k) { return candidates[s * group + k]; }
  }

  public NceSampler(Impressions imps, int negatives, long seed) {
    if (negatives < 1) throw new IllegalArgumentException("negatives must be >= 1, got " + negatives);
    if (!imps.labelled()) throw new IllegalArgumentException("training impressions must be labelled");
    this.imps = imps;
    this.negatives = negatives;
    this.seed = seed;
    int n = 0;
    long skipped = 0;
    for (int i = 0; i < imps.size(); i++) {
      int pos = 0;
      for (int j = 0; j < imps.candidateCount(i); j++) pos += imps.label(i, j);
      if (pos < imps.candidateCount(i)) n += pos;
      else skipped++;
    }
    this.samplesPerEpoch = n;
    this.skippedImpressions = skipped;
  }

  public int samplesPerEpoch() { return samplesPerEpoch; }

  /** Impressions that give no sample because every candidate was clicked. */
  public long skippedImpressions() { return skippedImpressions; }

  public int group() { return 1 + negatives; }

  public Epoch epoch(int epoch) {
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
    int g = group();
    int[] impression = new int[samplesPerEpoch];
    int[] candidates = new int[samplesPerEpoch * g];
    int[] target = new int[samplesPerEpoch];
    int[] neg = new int[16];
    int s = 0;
    for (int i = 0; i < imps.size(); i++) {
      int n = imps.candidateCount(i);
      int nn = 0;
      if (neg.length < n) neg = new int[n];
      for (int j = 0; j < n; j++) if (imps.label(i, j) == 0) neg[nn++] = imps.candidate(i, j);
      if (nn == 0) continue;
      for (int j = 0; j < n; j++) {
        if (imps.label(i, j) != 1) continue;
        int base = s * g;
        int t = rng.nextInt(g);
        if (nn >= negatives) {
          // Partial Fisher-Yates: K distinct negatives.
          for (int k = 0; k < negatives; k++) {
            int r = k + rng.nextInt(nn - k);
            int tmp = neg[k];
            neg[k] = neg[r];
            neg[r] = tmp;
          }
          for (int k = 0, slot = 0; k < g; k++) {
            candidates[base + k] = k == t ? imps.candidate(i, j) : neg[slot++];
          }
        } else {
          for (int k = 0; k < g; k++) {
            candidates[base + k] = k == t ? imps.candidate(i, j) : neg[rng.nextInt(nn)];
          }
        }
        impression[s] = i;
        target[s] = t;
        s++;
      }
    }
    // Shuffle samples (Fisher-Yates over rows).
    for (int a = samplesPerEpoch - 1; a > 0; a--) {
      int b = rng.nextInt(a + 1);
      swap(impression, a, b, 1);
      swap(target, a, b, 1);
      swap(candidates, a, b, g);
    }
    return new Epoch(impression, candidates, target, g);
  }

  private static void swap(int[] x, int a, int b, int width) {
    for (int k = 0; k < width; k++) {
      int t = x[a * width + k];
      x[a * width + k] = x[b * width + k];
      x[b * width + k] = t;
    }
  }
}
