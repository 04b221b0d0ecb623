package dev.newsrec.core.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.News;
import dev.newsrec.core.data.NewsCorpus;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NceSamplerTest {
  /** Random impressions over 200 news; some with few negatives, some all clicked. */
  static Impressions world(long seed) {
    NewsCorpus c = new NewsCorpus();
    for (int n = 0; n < 200; n++) c.add(News.of("N" + n, "c", "s", "t"));
    Impressions.Builder b = Impressions.builder(c);
    Random r = new Random(seed);
    for (int i = 0; i < 300; i++) {
      int n = 2 + r.nextInt(12);
      int[] cands = new int[n];
      byte[] labels = new byte[n];
      Set<Integer> used = new HashSet<>();
      for (int j = 0; j < n; j++) {
        int x;
        do x = r.nextInt(200); while (!used.add(x));
        cands[j] = x;
        labels[j] = (byte) (r.nextInt(4) == 0 ? 1 : 0);
      }
      if (i % 50 == 0) java.util.Arrays.fill(labels, (byte) 1);
      b.add("" + i, "U" + r.nextInt(40), 0, new int[0], cands, labels);
    }
    return b.build();
  }

  @Test
  void samplesArePositivesWithNegativesOfTheSameImpression() {
    Impressions imps = world(1);
    NceSampler s = new NceSampler(imps, 4, 7);
    NceSampler.Epoch e = s.epoch(0);
    int expected = 0;
    int skipped = 0;
    for (int i = 0; i < imps.size(); i++) {
      int pos = 0;
      for (int j = 0; j < imps.candidateCount(i); j++) pos += imps.label(i, j);
      if (pos == imps.candidateCount(i)) skipped++;
      else expected += pos;
    }
    assertThat(e.size()).isEqualTo(expected);
    assertThat(s.skippedImpressions()).isEqualTo(skipped);
    int[] targetCounts = new int[5];
    for (int k = 0; k < e.size(); k++) {
      int i = e.impression()[k];
      Set<Integer> clicked = new HashSet<>();
      Set<Integer> unclicked = new HashSet<>();
      for (int j = 0; j < imps.candidateCount(i); j++) {
        (imps.label(i, j) == 1 ? clicked : unclicked).add(imps.candidate(i, j));
      }
      int t = e.target()[k];
      targetCounts[t]++;
      assertThat(clicked).contains(e.candidate(k, t));
      Set<Integer> negs = new HashSet<>();
      for (int q = 0; q < 5; q++) {
        if (q == t) continue;
        assertThat(unclicked).contains(e.candidate(k, q));
        negs.add(e.candidate(k, q));
      }
      // Distinct negatives when the impression has enough, repetition only when it has fewer.
      if (unclicked.size() >= 4) assertThat(negs).hasSize(4);
      else assertThat(negs.size()).isLessThanOrEqualTo(unclicked.size());
    }
    for (int c : targetCounts) assertThat(c).isBetween(e.size() / 5 - e.size() / 10, e.size() / 5 + e.size() / 10);
  }

  @Test
  void epochsAreDeterministicAndDiffer() {
    Impressions imps = world(2);
    NceSampler a = new NceSampler(imps, 4, 11);
    NceSampler b = new NceSampler(imps, 4, 11);
    assertThat(a.epoch(3).candidates()).isEqualTo(b.epoch(3).candidates());
    assertThat(a.epoch(3).target()).isEqualTo(b.epoch(3).target());
    assertThat(a.epoch(3).impression()).isNotEqualTo(a.epoch(4).impression());
  }

  @Test
  void historyPolicies() {
    int[] h = {1, 2, 3, 4, 5};
    assertThat(HistoryPolicy.RECENT.truncate(h, 3)).containsExactly(3, 4, 5);
    assertThat(HistoryPolicy.OLDEST.truncate(h, 3)).containsExactly(1, 2, 3);
    assertThat(HistoryPolicy.RECENT.truncate(h, 9)).isSameAs(h);
  }
}
