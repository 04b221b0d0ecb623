package dev.newsrec.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SignificanceTest {
  @Test
  void studentTailMatchesTables() {
    // Two-sided 5% critical values of Student's t (standard tables).
    assertThat(2 * Significance.studentTail(12.706, 1)).isCloseTo(0.05, within(1e-4));
    assertThat(2 * Significance.studentTail(4.303, 2)).isCloseTo(0.05, within(1e-4));
    assertThat(2 * Significance.studentTail(2.228, 10)).isCloseTo(0.05, within(1e-4));
    assertThat(Significance.studentTail(0, 5)).isCloseTo(0.5, within(1e-12));
    // df = 1 is the Cauchy distribution: P(T > t) = 1/2 - atan(t)/pi.
    for (double t : new double[] {0.3, 1, 2.5, 7}) {
      assertThat(Significance.studentTail(t, 1)).isCloseTo(0.5 - Math.atan(t) / Math.PI, within(1e-10));
    }
  }

  @Test
  void pairedTByHand() {
    double[] a = {0.60, 0.62, 0.61};
    double[] b = {0.63, 0.64, 0.65};
    // d = 0.03, 0.02, 0.04: mean 0.03, sd 0.01, t = 0.03 / (0.01 / sqrt 3) = 5.196, df 2.
    Significance.Test t = Significance.pairedT(a, b);
    assertThat(t.meanDifference()).isCloseTo(0.03, within(1e-12));
    assertThat(t.statistic()).isCloseTo(5.19615, within(1e-4));
    // Two-sided p for t = 5.196 with 2 df: 2 * (1/2 - t / (2 sqrt(2 + t^2))) (closed form for df 2).
    double exact = 1 - 5.196152422706632 / Math.sqrt(2 + 27.0);
    assertThat(t.p()).isCloseTo(exact, within(1e-6));
  }

  @Test
  void bootstrapSeesARealDifferenceAndNotANullOne() {
    Random r = new Random(3);
    int n = 2000;
    double[] a = new double[n];
    double[] b = new double[n];
    double[] c = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextDouble();
      b[i] = a[i] + 0.05 + 0.1 * r.nextGaussian();
      c[i] = a[i] + 0.1 * r.nextGaussian();
    }
    assertThat(Significance.pairedBootstrap(a, b, 1000, 1).p()).isLessThan(0.01);
    assertThat(Significance.pairedBootstrap(a, c, 1000, 1).p()).isGreaterThan(0.01);
  }
}
