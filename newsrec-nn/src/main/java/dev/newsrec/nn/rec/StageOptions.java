package dev.newsrec.nn.rec;

/**
 * What the shared stage runner reads from every pre-training stage's options record (one entry of
 * a config's {@code pretraining:} list, bound to its stage's own record with its own keys).
 */
public interface StageOptions {
  /** The stage's name, as the model package lists it ({@code pretraining[i].stage}). */
  String stage();

  /**
   * The stage's own seed; null = the config's seed, so {@code --seeds N} fine-tunes N times from
   * one pre-training.
   */
  Long seed();

  /** Length, optimiser, schedule, checkpoints, with the stage's defaults filled in. */
  StageTraining training();
}
