package dev.newsrec.core.synth;

import dev.newsrec.core.data.Impressions;

/**
 * One split of a synthetic world in memory: its impressions and the true click probability of
 * every candidate, aligned with {@link Impressions#flatCandidates()} (what oracle.tsv holds).
 */
public record SyntheticSplit(String name, Impressions impressions, double[] oracle) {
  public SyntheticSplit {
    if (oracle.length != impressions.totalCandidates()) {
      throw new IllegalArgumentException(oracle.length + " oracle scores for "
          + impressions.totalCandidates() + " candidates");
    }
  }
}
