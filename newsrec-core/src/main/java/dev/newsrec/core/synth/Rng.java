package dev.newsrec.core.synth;

/**
 * A small SplitMix64 generator with independent streams keyed by (seed, stream, index), so every
 * news, user and impression of the synthetic world is a pure function of the seed and its own
 * index: generation order does not matter and files are byte-identical on any JVM (the math uses
 * {@link StrictMath}, never the JIT's intrinsics).
 */
final class Rng {
  private long state;

  Rng(long seed) { state = seed; }

  /** The generator of one item (news n, user u, impression i, ...) of a named stream. */
  static Rng of(long seed, long stream, long index) {
    return new Rng(mix(mix(seed ^ 0x9E3779B97F4A7C15L * (stream + 1)) + index));
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  long nextLong() {
    state += 0x9E3779B97F4A7C15L;
    return mix(state);
  }

  /** Uniform in [0, 1). */
  double nextDouble() { return (nextLong() >>> 11) * 0x1.0p-53; }

  /** Uniform in [0, n). */
  int nextInt(int n) { return (int) (((nextLong() >>> 33) * n) >>> 31); }

  boolean chance(double p) { return nextDouble() < p; }

  /** Standard normal (Box-Muller, one of the pair). */
  double gaussian() {
    double u = 1.0 - nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u)) * StrictMath.cos(2 * Math.PI * nextDouble());
  }

  double exponential(double mean) { return -mean * StrictMath.log(1.0 - nextDouble()); }

  /** Gamma(shape, 1) for shape >= 1 by Marsaglia-Tsang; shape < 1 via the boost u^(1/shape). */
  double gamma(double shape) {
    if (shape < 1) return gamma(shape + 1) * StrictMath.pow(1.0 - nextDouble(), 1.0 / shape);
    double d = shape - 1.0 / 3, c = 1 / StrictMath.sqrt(9 * d);
    while (true) {
      double x = gaussian(), v = 1 + c * x;
      if (v <= 0) continue;
      v = v * v * v;
      double u = nextDouble();
      if (StrictMath.log(u) < 0.5 * x * x + d - d * v + d * StrictMath.log(v)) return d * v;
    }
  }

  /**
   * A positive count with the given mean and a long right tail (log-normal with sigma), at least
   * min and at most cap.
   */
  int longTail(double mean, double sigma, int min, int cap) {
    double mu = StrictMath.log(Math.max(mean, 1e-9)) - sigma * sigma / 2;
    long k = Math.round(StrictMath.exp(mu + sigma * gaussian()));
    return (int) Math.max(min, Math.min(cap, k));
  }

  /** Index drawn from a Zipf-like law over [0, n): P(k) ~ 1 / (k + 1)^s (s != 1), inverse CDF. */
  int zipf(int n, double s) {
    if (n <= 1) return 0;
    // Continuous approximation of the power law on [1, n + 1), then floor.
    double u = nextDouble();
    double a = 1 - s;
    double x = StrictMath.pow(1 + u * (StrictMath.pow(n + 1, a) - 1), 1 / a);
    return Math.min(n - 1, (int) x - 1);
  }
}
