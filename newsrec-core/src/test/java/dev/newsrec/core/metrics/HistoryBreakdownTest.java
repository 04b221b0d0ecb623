package dev.newsrec.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.News;
import dev.newsrec.core.data.NewsCorpus;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HistoryBreakdownTest {
  @Test
  void groupsAreTheIssuesAndEachEqualsTheMetricsOfItsOwnImpressions() {
    assertThat(HistoryBreakdown.label(0)).isEqualTo("0");
    assertThat(HistoryBreakdown.label(1)).isEqualTo("1-2");
    assertThat(HistoryBreakdown.label(5)).isEqualTo("21+");
    int[] lengths = {0, 1, 2, 3, 5, 6, 10, 11, 20, 21, 99};
    int[] groups = {0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5};
    for (int k = 0; k < lengths.length; k++) assertThat(HistoryBreakdown.bucket(lengths[k])).isEqualTo(groups[k]);

    NewsCorpus corpus = new NewsCorpus();
    for (int n = 0; n < 30; n++) corpus.add(News.of("N" + n, "c", "s", "t" + n));
    Random r = new Random(3);
    Impressions.Builder b = Impressions.builder(corpus);
    for (int i = 0; i < 300; i++) {
      int[] h = new int[r.nextInt(30)];
      for (int k = 0; k < h.length; k++) h[k] = r.nextInt(30);
      int c = 2 + r.nextInt(6);
      int[] cands = new int[c];
      byte[] labels = new byte[c];
      for (int j = 0; j < c; j++) {
        cands[j] = j;
        labels[j] = (byte) (r.nextInt(3) == 0 ? 1 : 0);
      }
      b.add("I" + i, "U" + i, 0, h, cands, labels);
    }
    Impressions all = b.build();
    float[] scores = new float[all.totalCandidates()];
    for (int k = 0; k < scores.length; k++) scores[k] = r.nextFloat();
    Prediction p = Prediction.fromScores(all, scores);
    HistoryBreakdown by = Metrics.byHistoryLength(all, p);
    assertThat(by.buckets()).hasSize(6);
    long total = 0;
    for (int g = 0; g < 6; g++) {
      final int group = g;
      // independent: the group's own impressions, evaluated alone
      Impressions own = all.filter(i -> HistoryBreakdown.bucket(all.history(i).length) == group);
      MetricsResult alone = Metrics.evaluate(own, Prediction.fromScores(own, ownScores(all, own, scores)));
      MetricsResult m = by.buckets().get(g).metrics();
      assertThat(m.impressions()).isEqualTo(alone.impressions());
      assertThat(m.auc()).isCloseTo(alone.auc(), within(1e-12));
      assertThat(m.ndcg10()).isCloseTo(alone.ndcg10(), within(1e-12));
      total += m.total();
    }
    assertThat(total).isEqualTo(all.size());
    assertThat(by.toJson()).startsWith("[{\"clicks\":\"0\",\"auc\":");
  }

  /** The scores of own's impressions (matched by id) out of all's flat scores. */
  private static float[] ownScores(Impressions all, Impressions own, float[] scores) {
    java.util.Map<String, Integer> index = new java.util.HashMap<>();
    for (int i = 0; i < all.size(); i++) index.put(all.impressionId(i), i);
    float[] out = new float[own.totalCandidates()];
    for (int i = 0; i < own.size(); i++) {
      int a = index.get(own.impressionId(i));
      System.arraycopy(scores, all.offset(a), out, own.offset(i), own.candidateCount(i));
    }
    return out;
  }
}
