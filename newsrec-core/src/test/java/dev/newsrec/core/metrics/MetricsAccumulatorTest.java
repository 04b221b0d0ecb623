package dev.newsrec.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MetricsAccumulatorTest {
  private static final double EPS = 1e-12;

  @Test
  void handComputedFiveCandidates() {
    // scores 0.9 0.3 0.5 0.7 0.1, labels 0 1 0 1 0.
    // Score order: c0 (0) c3 (1) c2 (0) c1 (1) c4 (0): clicked at ranks 2 and 4.
    // AUC: c3 beats c2 and c4 (2 of 3 non-clicked), c1 beats c4 only (1 of 3): 3/6 = 0.5.
    // MRR: (1/2 + 1/4) / 2 = 0.375.
    // DCG@5 = 1/log2(3) + 1/log2(5); ideal (ranks 1, 2) = 1/log2(2) + 1/log2(3) = 1 + 1/log2(3);
    // nDCG@10 is the same (only 5 candidates).
    MetricsAccumulator acc = new MetricsAccumulator();
    assertThat(acc.add(new double[] {0.9, 0.3, 0.5, 0.7, 0.1}, new byte[] {0, 1, 0, 1, 0})).isTrue();
    double log2of3 = Math.log(3) / Math.log(2);
    double log2of5 = Math.log(5) / Math.log(2);
    double ndcg = (1 / log2of3 + 1 / log2of5) / (1 + 1 / log2of3);
    assertThat(acc.lastAuc()).isEqualTo(0.5);
    assertThat(acc.lastMrr()).isEqualTo(0.375);
    assertThat(acc.lastNdcg5()).isCloseTo(ndcg, within(EPS));
    assertThat(acc.lastNdcg10()).isCloseTo(ndcg, within(EPS));
    assertThat(ndcg).isCloseTo(0.6509, within(1e-4)); // (0.6309 + 0.4307) / 1.6309
  }

  @Test
  void handComputedTiesCountHalfAndKeepCandidateOrder() {
    // scores 0.5 0.5 0.2 0.5, only c1 clicked. c1 ties with c0 and c3 (1/2 each), beats c2:
    // AUC = (0.5 + 0.5 + 1) / 3 = 2/3. Stable order c0 c1 c3 c2 puts c1 at rank 2: MRR 1/2,
    // nDCG = (1/log2(3)) / (1/log2(2)) = 1/log2(3).
    MetricsAccumulator acc = new MetricsAccumulator();
    acc.add(new double[] {0.5, 0.5, 0.2, 0.5}, new byte[] {0, 1, 0, 0});
    assertThat(acc.lastAuc()).isCloseTo(2.0 / 3, within(EPS));
    assertThat(acc.lastMrr()).isEqualTo(0.5);
    assertThat(acc.lastNdcg5()).isCloseTo(Math.log(2) / Math.log(3), within(EPS));
    // all scores equal: AUC exactly 1/2 whatever the labels
    acc.add(new double[] {1, 1, 1, 1, 1, 1}, new byte[] {1, 0, 1, 0, 0, 0});
    assertThat(acc.lastAuc()).isEqualTo(0.5);
    assertThat(acc.lastMrr()).isCloseTo((1 + 1.0 / 3) / 2, within(EPS));
  }

  @Test
  void handComputedMeansAndSkips() {
    MetricsAccumulator acc = new MetricsAccumulator();
    acc.add(new double[] {3, 2, 1}, new byte[] {1, 0, 0}); // perfect: AUC 1, MRR 1, nDCG 1
    acc.add(new double[] {3, 2, 1}, new byte[] {0, 0, 1}); // worst: AUC 0, MRR 1/3
    assertThat(acc.add(new double[] {3, 2, 1}, new byte[] {0, 0, 0})).isFalse();
    assertThat(acc.add(new double[] {2, 1}, new byte[] {1, 1})).isFalse();
    assertThat(acc.add(new double[] {5}, new byte[] {1})).isFalse();
    assertThat(acc.add(new double[0], new byte[0])).isFalse();
    assertThat(acc.lastAuc()).isNaN();
    MetricsResult r = acc.result();
    assertThat(r.impressions()).isEqualTo(2);
    assertThat(r.skippedAllNegative()).isEqualTo(2);
    assertThat(r.skippedAllPositive()).isEqualTo(2);
    assertThat(r.total()).isEqualTo(6);
    assertThat(r.auc()).isEqualTo(0.5);
    assertThat(r.mrr()).isCloseTo((1 + 1.0 / 3) / 2, within(EPS));
    // worst impression: clicked at rank 3, DCG = 1/log2(4) = 1/2, ideal 1
    assertThat(r.ndcg5()).isCloseTo((1 + 0.5) / 2, within(EPS));
    assertThat(r.toJson()).isEqualTo("{\"auc\":0.5000,\"mrr\":0.6667,\"ndcg5\":0.7500,"
        + "\"ndcg10\":0.7500,\"impressions\":2,\"skipped_all_negative\":2,"
        + "\"skipped_all_positive\":2}");
  }

  @Test
  void emptyResultIsNaNAndJsonNull() {
    MetricsResult r = new MetricsAccumulator().result();
    assertThat(r.auc()).isNaN();
    assertThat(r.toJson()).startsWith("{\"auc\":null,");
  }

  @Test
  void matchesBruteForceOnRandomImpressionsWithHeavyTies() {
    Random rnd = new Random(20261125);
    MetricsAccumulator doubles = new MetricsAccumulator();
    MetricsAccumulator floats = new MetricsAccumulator();
    double[] sums = new double[4];
    int evaluated = 0;
    int skippedNeg = 0;
    int skippedPos = 0;
    for (int t = 0; t < 5000; t++) {
      Impression imp = randomImpression(rnd);
      Expected e = bruteForce(imp.scores, imp.labels);
      boolean added = doubles.add(imp.scores, 0, imp.labels, 0, imp.scores.length);
      float[] f = new float[imp.scores.length];
      for (int j = 0; j < f.length; j++) f[j] = (float) imp.scores[j];
      // scores are small integers or halves: exactly representable as float
      floats.add(f, 0, imp.labels, 0, f.length);
      if (e == null) {
        assertThat(added).isFalse();
        int p = 0;
        for (byte y : imp.labels) p += y;
        if (p == 0) skippedNeg++;
        else skippedPos++;
        continue;
      }
      assertThat(added).isTrue();
      evaluated++;
      String what = "impression " + t + " of " + imp.scores.length;
      assertThat(doubles.lastAuc()).as(what).isCloseTo(e.auc, within(EPS));
      assertThat(doubles.lastMrr()).as(what).isCloseTo(e.mrr, within(EPS));
      assertThat(doubles.lastNdcg5()).as(what).isCloseTo(e.ndcg5, within(EPS));
      assertThat(doubles.lastNdcg10()).as(what).isCloseTo(e.ndcg10, within(EPS));
      assertThat(floats.lastAuc()).isEqualTo(doubles.lastAuc());
      assertThat(floats.lastNdcg10()).isEqualTo(doubles.lastNdcg10());
      sums[0] += e.auc;
      sums[1] += e.mrr;
      sums[2] += e.ndcg5;
      sums[3] += e.ndcg10;
    }
    assertThat(skippedNeg).isGreaterThan(50);
    assertThat(skippedPos).isGreaterThan(50);
    assertThat(evaluated).isGreaterThan(2000);
    MetricsResult r = doubles.result();
    assertThat(r.impressions()).isEqualTo(evaluated);
    assertThat(r.skippedAllNegative()).isEqualTo(skippedNeg);
    assertThat(r.skippedAllPositive()).isEqualTo(skippedPos);
    assertThat(r.auc()).isCloseTo(sums[0] / evaluated, within(1e-12));
    assertThat(r.mrr()).isCloseTo(sums[1] / evaluated, within(1e-12));
    assertThat(r.ndcg5()).isCloseTo(sums[2] / evaluated, within(1e-12));
    assertThat(r.ndcg10()).isCloseTo(sums[3] / evaluated, within(1e-12));
    assertThat(floats.result()).isEqualTo(r);
  }

  @Test
  void ranksMatchScoresMinusRankAndRankerMatchesDefinition() {
    Random rnd = new Random(7);
    Prediction.Ranker ranker = new Prediction.Ranker();
    for (int t = 0; t < 1500; t++) {
      Impression imp = randomImpression(rnd);
      int n = imp.scores.length;
      int[] ranks = new int[n];
      ranker.ranks(imp.scores, 0, n, ranks);
      double[] minusRank = new double[n];
      for (int j = 0; j < n; j++) {
        // rank = 1 + number above + number of earlier equal ones
        int expected = 1;
        for (int k = 0; k < n; k++) {
          if (imp.scores[k] > imp.scores[j] || (k < j && imp.scores[k] == imp.scores[j])) expected++;
        }
        assertThat(ranks[j]).isEqualTo(expected);
        minusRank[j] = -ranks[j];
      }
      MetricsAccumulator fromRanks = new MetricsAccumulator();
      MetricsAccumulator fromScores = new MetricsAccumulator();
      MetricsAccumulator fromOriginal = new MetricsAccumulator();
      boolean a = fromRanks.addRanks(ranks, 0, imp.labels, 0, n);
      boolean b = fromScores.add(minusRank, 0, imp.labels, 0, n);
      fromOriginal.add(imp.scores, 0, imp.labels, 0, n);
      assertThat(a).isEqualTo(b);
      if (!a) continue;
      assertThat(fromRanks.lastAuc()).isEqualTo(fromScores.lastAuc());
      assertThat(fromRanks.lastMrr()).isEqualTo(fromScores.lastMrr());
      assertThat(fromRanks.lastNdcg5()).isEqualTo(fromScores.lastNdcg5());
      assertThat(fromRanks.lastNdcg10()).isEqualTo(fromScores.lastNdcg10());
      // the ranks keep the tie order of the scores, so rank metrics equal score metrics
      assertThat(fromRanks.lastMrr()).isEqualTo(fromOriginal.lastMrr());
      assertThat(fromRanks.lastNdcg10()).isEqualTo(fromOriginal.lastNdcg10());
      Expected e = bruteForce(minusRank, imp.labels);
      assertThat(fromRanks.lastAuc()).isCloseTo(e.auc, within(EPS));
    }
  }

  @Test
  void mergeOfPartsEqualsOneAccumulator() {
    Random rnd = new Random(3);
    List<Impression> imps = new ArrayList<>();
    for (int t = 0; t < 1000; t++) imps.add(randomImpression(rnd));
    MetricsAccumulator all = new MetricsAccumulator();
    MetricsAccumulator left = new MetricsAccumulator();
    MetricsAccumulator right = new MetricsAccumulator();
    for (int t = 0; t < imps.size(); t++) {
      Impression imp = imps.get(t);
      all.add(imp.scores, imp.labels);
      (t < 400 ? left : right).add(imp.scores, imp.labels);
    }
    MetricsResult merged = left.merge(right).result();
    MetricsResult single = all.result();
    assertThat(merged.impressions()).isEqualTo(single.impressions());
    assertThat(merged.skippedAllNegative()).isEqualTo(single.skippedAllNegative());
    assertThat(merged.skippedAllPositive()).isEqualTo(single.skippedAllPositive());
    assertThat(merged.auc()).isCloseTo(single.auc(), within(1e-12));
    assertThat(merged.ndcg10()).isCloseTo(single.ndcg10(), within(1e-12));
  }

  @Test
  void rangesInsideLargerArraysAreRespected() {
    double[] scores = {9, 9, 0.9, 0.3, 0.5, 0.7, 0.1, 9};
    byte[] labels = {1, 1, 1, 0, 1, 0, 1, 0, 0, 0};
    MetricsAccumulator acc = new MetricsAccumulator();
    acc.add(scores, 2, labels, 3, 5); // the hand case of handComputedFiveCandidates
    assertThat(acc.lastAuc()).isEqualTo(0.5);
    assertThat(acc.lastMrr()).isEqualTo(0.375);
  }

  @Test
  void rejectsBadLabelsScoresAndRanks() {
    MetricsAccumulator acc = new MetricsAccumulator();
    assertThatThrownBy(() -> acc.add(new double[] {1, 2}, new byte[] {1, -1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unlabelled");
    assertThatThrownBy(() -> acc.add(new double[] {1, 2}, new byte[] {1, 2}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 0 or 1");
    assertThatThrownBy(() -> acc.add(new double[] {1, Double.NaN}, new byte[] {1, 0}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    assertThatThrownBy(() -> acc.addRanks(new int[] {1, 1, 3}, 0, new byte[] {1, 0, 0}, 0, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    assertThatThrownBy(() -> acc.addRanks(new int[] {1, 4, 3}, 0, new byte[] {1, 0, 0}, 0, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside 1..3");
    assertThatThrownBy(() -> acc.add(new double[] {1, 2}, new byte[] {1}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(acc.count()).isZero();
  }

  // ---------------------------------------------------------------- independent reference

  record Impression(double[] scores, byte[] labels) {}

  record Expected(double auc, double mrr, double ndcg5, double ndcg10) {}

  /** Sizes 1..300 (mostly small), scores with many ties, click rates from none to all. */
  static Impression randomImpression(Random rnd) {
    int n = switch (rnd.nextInt(6)) {
      case 0 -> 1 + rnd.nextInt(5);
      case 1, 2 -> 2 + rnd.nextInt(30);
      case 3 -> 20 + rnd.nextInt(80);
      case 4 -> 1 + rnd.nextInt(300);
      default -> 2 + rnd.nextInt(12);
    };
    int distinct = switch (rnd.nextInt(4)) {
      case 0 -> 1 + rnd.nextInt(2);
      case 1 -> 3 + rnd.nextInt(5);
      case 2 -> 1 + n / 2;
      default -> 1000;
    };
    double clickRate = switch (rnd.nextInt(5)) {
      case 0 -> 0;
      case 1 -> 1;
      default -> rnd.nextDouble();
    };
    if (clickRate > 0 && clickRate < 1 && n > 2 && rnd.nextInt(10) == 0) clickRate = 0.97;
    double[] s = new double[n];
    byte[] y = new byte[n];
    for (int j = 0; j < n; j++) {
      y[j] = (byte) (rnd.nextDouble() < clickRate ? 1 : 0);
      s[j] = rnd.nextInt(distinct) * 0.5 - (distinct > 500 ? 100 : 0) + (y[j] == 1 && rnd.nextBoolean() ? 1 : 0);
    }
    return new Impression(s, y);
  }

  /** Pairwise AUC and sorted direct-formula MRR/DCG; null for a single-class impression. */
  static Expected bruteForce(double[] s, byte[] y) {
    int n = s.length;
    int pos = 0;
    for (byte v : y) pos += v;
    if (pos == 0 || pos == n) return null;
    double wins = 0;
    int pairs = 0;
    for (int a = 0; a < n; a++) {
      if (y[a] != 1) continue;
      for (int b = 0; b < n; b++) {
        if (y[b] != 0) continue;
        pairs++;
        if (s[a] > s[b]) wins += 1;
        else if (s[a] == s[b]) wins += 0.5;
      }
    }
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    java.util.Arrays.sort(order, (a, b) -> {
      int c = Double.compare(s[b], s[a]);
      return c != 0 ? c : Integer.compare(a, b);
    });
    double mrr = 0;
    for (int k = 0; k < n; k++) mrr += y[order[k]] / (k + 1.0);
    mrr /= pos;
    int[] ideal = new int[n];
    for (int k = 0; k < n; k++) ideal[k] = k < pos ? 1 : 0;
    int[] actual = new int[n];
    for (int k = 0; k < n; k++) actual[k] = y[order[k]];
    return new Expected(wins / pairs, mrr, dcg(actual, 5) / dcg(ideal, 5),
        dcg(actual, 10) / dcg(ideal, 10));
  }

  private static double dcg(int[] gainsInOrder, int k) {
    double sum = 0;
    for (int i = 1; i <= Math.min(k, gainsInOrder.length); i++) {
      sum += (Math.pow(2, gainsInOrder[i - 1]) - 1) / (Math.log(i + 1) / Math.log(2));
    }
    return sum;
  }
}
