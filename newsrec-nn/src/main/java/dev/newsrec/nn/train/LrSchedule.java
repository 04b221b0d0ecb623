package dev.newsrec.nn.train;

/**
 * The learning-rate multiplier as a pure function of the optimiser step about to be taken
 * (0-based: the first update uses {@code multiplier(0)}), as Hugging Face's
 * {@code get_linear_schedule_with_warmup} and {@code get_constant_schedule} with a
 * {@code LambdaLR} stepped after each optimiser step. The group's learning rate is multiplied by
 * it.
 */
@FunctionalInterface
public interface LrSchedule {
  double multiplier(long step);

  /** Always 1. */
  static LrSchedule constant() {
    return step -> 1.0;
  }

  /**
   * Linear warm-up from 0 over {@code warmupSteps}, then linear decay to 0 at {@code totalSteps}:
   * {@code t < w ? t / w : max(0, (T - t) / max(1, T - w))}. With warm-up the very first update
   * has multiplier 0, exactly as in Hugging Face.
   */
  static LrSchedule linearWarmupDecay(long totalSteps, long warmupSteps) {
    if (totalSteps <= 0) throw new IllegalArgumentException("totalSteps must be positive: " + totalSteps);
    if (warmupSteps < 0 || warmupSteps > totalSteps) {
      throw new IllegalArgumentException(
          "warmupSteps must be in [0, " + totalSteps + "]: " + warmupSteps);
    }
    return step -> {
      if (step < warmupSteps) return (double) step / Math.max(1, warmupSteps);
      return Math.max(0.0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
    };
  }

  /** Linear warm-up over {@code ceil(warmupRatio * totalSteps)} steps, then linear decay to 0. */
  static LrSchedule linearWarmupDecay(long totalSteps, double warmupRatio) {
    return linearWarmupDecay(totalSteps, warmupSteps(totalSteps, warmupRatio));
  }

  /** Linear warm-up over {@code warmupSteps}, then constant 1. */
  static LrSchedule constantWithWarmup(long warmupSteps) {
    if (warmupSteps < 0) throw new IllegalArgumentException("warmupSteps must be >= 0: " + warmupSteps);
    return step -> step < warmupSteps ? (double) step / Math.max(1, warmupSteps) : 1.0;
  }

  /** {@code ceil(ratio * total)}, as the Hugging Face Trainer computes warm-up from a ratio. */
  static long warmupSteps(long totalSteps, double warmupRatio) {
    if (!(warmupRatio >= 0 && warmupRatio <= 1)) {
      throw new IllegalArgumentException("warmup ratio must be in [0, 1]: " + warmupRatio);
    }
    return (long) Math.ceil(warmupRatio * totalSteps);
  }
}
