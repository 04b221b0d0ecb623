package dev.newsrec.nn.train;

import java.util.random.RandomGenerator;

/**
 * A seeded random generator whose whole state is one {@code long}, so a checkpoint can save it
 * and a resumed run continues the same sequence (SplitMix64: state advances by a fixed odd
 * constant, the output is a bijective mix of the state).
 */
public final class TrainRandom implements RandomGenerator {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private long state;

  public TrainRandom(long seed) {
    this.state = seed;
  }

  /** The complete state; {@code new TrainRandom(0).setState(s)} continues where s was taken. */
  public long state() {
    return state;
  }

  public void setState(long state) {
    this.state = state;
  }

  @Override
  public long nextLong() {
    state += GOLDEN;
    return mix(state);
  }

  /** A well-mixed 64-bit function of its input (the SplitMix64 finaliser). */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A seed derived from a base seed and a list of indices (e.g. step, micro-batch). */
  public static long derive(long seed, long... indices) {
    long h = mix(seed + GOLDEN);
    for (long i : indices) {
      h = mix(h ^ mix(i + GOLDEN));
    }
    return h;
  }
}
