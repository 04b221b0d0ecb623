package dev.newsrec.nn.rec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.News;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.core.sample.HistoryPolicy;
import dev.newsrec.core.sample.NceSampler;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * NCE batches checked against the impressions and the sampler they come from: deduplicated news,
 * indices that point back to the right news, history truncation per policy, one positive per
 * sample.
 */
class NceBatchesTest {
  static final int NEWS = 24;
  static final int NEGATIVES = 3;
  static final int BATCH = 8;
  static final int MAX_HISTORY = 6;

  static NewsCorpus corpus;
  static Impressions imps;

  /**
   * A small corpus, so news recur across the samples of a batch; histories of 0 to 12 clicks
   * (MAX_HISTORY is 6); impressions with fewer negatives than K, and one with every candidate
   * clicked (it gives no sample).
   */
  @BeforeAll
  static void fixture() {
    corpus = new NewsCorpus();
    for (int n = 0; n < NEWS; n++) corpus.add(News.of("N" + n, "c", "s", "title " + n));
    Random r = new Random(11);
    Impressions.Builder b = Impressions.builder(corpus);
    for (int i = 0; i < 40; i++) {
      int[] hist = r.ints(0, NEWS).distinct().limit(i % 13).toArray();
      int count = 2 + r.nextInt(7);
      int[] cands = r.ints(0, NEWS).distinct().limit(count).toArray();
      byte[] labels = new byte[count];
      labels[r.nextInt(count)] = 1;
      if (count > 4 && r.nextBoolean()) labels[r.nextInt(count)] = 1;
      if (i == 7) Arrays.fill(labels, (byte) 1);
      b.add("" + i, "U" + (i % 9), i, hist, cands, labels);
    }
    imps = b.build();
  }

  static NceBatches batches(NceSampler sampler, HistoryPolicy policy) {
    return new NceBatches(imps, sampler, BATCH, MAX_HISTORY, policy);
  }

  /** The kept history, written out independently of HistoryPolicy. */
  static int[] expectedHistory(int[] h, HistoryPolicy policy) {
    if (h.length <= MAX_HISTORY) return h;
    return policy == HistoryPolicy.RECENT
        ? Arrays.copyOfRange(h, h.length - MAX_HISTORY, h.length)
        : Arrays.copyOfRange(h, 0, MAX_HISTORY);
  }

  @Test
  void recentPolicyBatchesPointBackToTheSamplersNews() {
    checkFirstEpoch(HistoryPolicy.RECENT);
  }

  @Test
  void oldestPolicyBatchesPointBackToTheSamplersNews() {
    checkFirstEpoch(HistoryPolicy.OLDEST);
  }

  private void checkFirstEpoch(HistoryPolicy policy) {
    NceSampler sampler = new NceSampler(imps, NEGATIVES, 3);
    NceSampler.Epoch e = sampler.epoch(0);
    NceBatches batches = batches(sampler, policy);
    assertThat(batches.batchesPerEpoch()).isEqualTo(e.size() / BATCH).isGreaterThanOrEqualTo(4);
    int truncated = 0;
    int padded = 0;
    int shared = 0;
    for (int bi = 0; bi < batches.batchesPerEpoch(); bi++) {
      NceBatch batch = batches.next();
      assertThat(batches.epoch()).isZero();
      assertThat(batch.size()).isEqualTo(BATCH);
      assertThat(batch.candidates()).hasNumberOfRows(BATCH);
      assertThat(batch.history()).hasNumberOfRows(BATCH);
      int[] news = batch.news();
      // Every news of the batch once, and nothing else.
      Set<Integer> distinct = new HashSet<>();
      for (int x : news) assertThat(distinct.add(x)).as("news %d listed twice", x).isTrue();
      Set<Integer> referenced = new HashSet<>();
      int refs = 0;
      int longest = 0;
      for (int b = 0; b < BATCH; b++) {
        int s = bi * BATCH + b;
        int i = e.impression()[s];
        assertThat(batch.targets()[b]).isEqualTo(e.target()[s]);
        assertThat(batch.candidates()[b]).hasSize(1 + NEGATIVES);
        for (int k = 0; k <= NEGATIVES; k++) {
          int x = news[batch.candidates()[b][k]];
          assertThat(x).isEqualTo(e.candidate(s, k));
          referenced.add(x);
          refs++;
        }
        int[] want = expectedHistory(imps.history(i), policy);
        if (want.length < imps.history(i).length) truncated++;
        longest = Math.max(longest, want.length);
        int[] row = batch.history()[b];
        for (int l = 0; l < row.length; l++) {
          if (l < want.length) {
            assertThat(row[l]).isNotNegative();
            assertThat(news[row[l]]).as("sample %d history %d", s, l).isEqualTo(want[l]);
            referenced.add(news[row[l]]);
            refs++;
          } else {
            assertThat(row[l]).as("padding").isEqualTo(-1);
            padded++;
          }
        }
      }
      for (int[] row : batch.history()) assertThat(row).hasSize(Math.max(1, longest));
      assertThat(distinct).isEqualTo(referenced);
      shared += refs - news.length;
    }
    // The fixture exercised what was checked.
    assertThat(truncated).isPositive();
    assertThat(padded).isPositive();
    assertThat(shared).isPositive();
  }

  @Test
  void eachSampleHasOneClickedCandidateAtAVaryingPosition() {
    NceSampler sampler = new NceSampler(imps, NEGATIVES, 5);
    NceSampler.Epoch e = sampler.epoch(0);
    NceBatches batches = batches(sampler, HistoryPolicy.RECENT);
    int[] positions = new int[1 + NEGATIVES];
    int repeatedNegatives = 0;
    for (int bi = 0; bi < batches.batchesPerEpoch(); bi++) {
      NceBatch batch = batches.next();
      for (int b = 0; b < BATCH; b++) {
        int i = e.impression()[bi * BATCH + b];
        int positives = 0;
        int at = -1;
        Set<Integer> negatives = new HashSet<>();
        for (int k = 0; k <= NEGATIVES; k++) {
          int x = batch.news()[batch.candidates()[b][k]];
          int label = labelOf(i, x);
          if (label == 1) {
            positives++;
            at = k;
          } else {
            negatives.add(x);
          }
        }
        assertThat(positives).isEqualTo(1);
        assertThat(batch.targets()[b]).isEqualTo(at);
        positions[at]++;
        int available = imps.candidateCount(i) - clicks(i);
        // K distinct negatives when the impression has them, else drawn with repetition.
        if (available >= NEGATIVES) {
          assertThat(negatives).hasSize(NEGATIVES);
        } else {
          assertThat(negatives.size()).isBetween(1, available);
          repeatedNegatives++;
        }
      }
    }
    for (int k = 0; k <= NEGATIVES; k++) assertThat(positions[k]).as("position %d", k).isPositive();
    assertThat(repeatedNegatives).isPositive();
  }

  @Test
  void epochsRollOverAndStateResumes() {
    NceSampler sampler = new NceSampler(imps, NEGATIVES, 9);
    NceBatches batches = batches(sampler, HistoryPolicy.RECENT);
    for (int k = 0; k < batches.batchesPerEpoch(); k++) batches.next();
    byte[] state = batches.saveState();
    NceBatch next = batches.next();
    // The epoch's last short batch is dropped: the next one is epoch 1's first.
    assertThat(batches.epoch()).isEqualTo(1);
    NceSampler.Epoch e1 = sampler.epoch(1);
    for (int b = 0; b < BATCH; b++) {
      for (int k = 0; k <= NEGATIVES; k++) {
        assertThat(next.news()[next.candidates()[b][k]]).isEqualTo(e1.candidate(b, k));
      }
    }
    NceBatches resumed = batches(sampler, HistoryPolicy.RECENT);
    resumed.restoreState(state);
    NceBatch again = resumed.next();
    assertThat(again.news()).containsExactly(next.news());
    assertThat(again.candidates()).isDeepEqualTo(next.candidates());
    assertThat(again.history()).isDeepEqualTo(next.history());
    assertThat(again.targets()).containsExactly(next.targets());
  }

  static int labelOf(int i, int news) {
    for (int j = 0; j < imps.candidateCount(i); j++) {
      if (imps.candidate(i, j) == news) return imps.label(i, j);
    }
    throw new AssertionError("news " + news + " is not a candidate of impression " + i);
  }

  static int clicks(int i) {
    int c = 0;
    for (int j = 0; j < imps.candidateCount(i); j++) c += imps.label(i, j);
    return c;
  }
}
