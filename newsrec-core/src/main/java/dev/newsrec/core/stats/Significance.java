package dev.newsrec.core.stats;

import java.util.SplittableRandom;

/** Significance tests for comparing two runs: paired t-test over seeds, paired bootstrap over impressions. */
public final class Significance {
  private Significance() {}

  /** Mean and sample standard deviation (n - 1). */
  public record MeanStd(double mean, double std, int n) {}

  public static MeanStd meanStd(double[] x) {
    double m = 0;
    for (double v : x) m += v;
    m /= x.length;
    double ss = 0;
    for (double v : x) ss += (v - m) * (v - m);
    return new MeanStd(m, x.length > 1 ? Math.sqrt(ss / (x.length - 1)) : 0, x.length);
  }

  /** Result of a paired test: mean difference b - a, the statistic and the two-sided p-value. */
  public record Test(double meanDifference, double statistic, double p) {}

  /** Paired Student t-test of b against a (e.g. seed k of each run); needs at least 2 pairs. */
  public static Test pairedT(double[] a, double[] b) {
    if (a.length != b.length || a.length < 2) {
      throw new IllegalArgumentException("a paired t-test needs two equal-length samples of at least 2");
    }
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) d[i] = b[i] - a[i];
    MeanStd s = meanStd(d);
    if (s.std() == 0) return new Test(s.mean(), s.mean() == 0 ? 0 : Double.POSITIVE_INFINITY * Math.signum(s.mean()), s.mean() == 0 ? 1 : 0);
    double t = s.mean() / (s.std() / Math.sqrt(d.length));
    return new Test(s.mean(), t, 2 * studentTail(Math.abs(t), d.length - 1));
  }

  /**
   * Paired bootstrap over impressions: resamples impressions with replacement and reports how
   * often the mean difference b - a falls on the other side of zero (two-sided p).
   */
  public static Test pairedBootstrap(double[] a, double[] b, int resamples, long seed) {
    if (a.length != b.length || a.length == 0) {
      throw new IllegalArgumentException("paired bootstrap needs two equal-length non-empty samples");
    }
    int n = a.length;
    double[] d = new double[n];
    double mean = 0;
    for (int i = 0; i < n; i++) {
      d[i] = b[i] - a[i];
      mean += d[i];
    }
    mean /= n;
    SplittableRandom rng = new SplittableRandom(seed);
    int below = 0;
    int above = 0;
    for (int r = 0; r < resamples; r++) {
      double s = 0;
      for (int i = 0; i < n; i++) s += d[rng.nextInt(n)];
      if (s <= 0) below++;
      if (s >= 0) above++;
    }
    double p = Math.min(1, 2.0 * Math.min(below, above) / resamples);
    return new Test(mean, mean, p);
  }

  /** P(T > t) for Student's t with df degrees of freedom. */
  public static double studentTail(double t, double df) {
    double x = df / (df + t * t);
    return 0.5 * regularizedBeta(x, df / 2, 0.5);
  }

  /** Regularized incomplete beta I_x(a, b), by Lentz's continued fraction. */
  static double regularizedBeta(double x, double a, double b) {
    if (x <= 0) return 0;
    if (x >= 1) return 1;
    double lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
    if (x > (a + 1) / (a + b + 2)) return 1 - regularizedBeta(1 - x, b, a);
    double front = Math.exp(lnFront) / a;
    double tiny = 1e-300;
    double f = 1, c = 1, d = 0;
    for (int i = 0; i <= 300; i++) {
      int m = i / 2;
      double num;
      if (i == 0) num = 1;
      else if (i % 2 == 0) num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
      else num = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
      d = 1 + num * d;
      if (Math.abs(d) < tiny) d = tiny;
      d = 1 / d;
      c = 1 + num / c;
      if (Math.abs(c) < tiny) c = tiny;
      double cd = c * d;
      f *= cd;
      if (Math.abs(1 - cd) < 1e-12) break;
    }
    return front * (f - 1);
  }

  /** log Gamma by the Lanczos approximation (g = 7, 9 terms). */
  static double logGamma(double x) {
    double[] g = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
        771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
        9.9843695780195716e-6, 1.5056327351493116e-7};
    if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
    x -= 1;
    double s = g[0];
    double t = x + 7.5;
    for (int i = 1; i < 9; i++) s += g[i] / (x + i);
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
  }
}
