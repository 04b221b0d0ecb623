package dev.newsrec.nn.rec;

import dev.newsrec.core.config.ConfigProblems;

/**
 * How a pre-training stage trains (the {@code training} key of one {@code pretraining:} entry):
 * length, optimiser, schedule and checkpoints. Each stage has its own defaults (the paper's
 * schedule); {@link #orDefaults} fills what a config leaves out.
 *
 * @param steps optimiser steps; 0 or absent = {@code epochs} passes over the stage's data
 * @param epochs passes over the stage's data when {@code steps} is not given
 * @param batchSize samples per optimiser step
 * @param microBatch samples per forward/backward pass (gradient accumulation); 0 = batchSize
 * @param learningRate AdamW learning rate of every trained parameter
 * @param warmup share of all steps (0 to 1) with linear warm-up, then linear decay to 0
 * @param weightDecay AdamW's decoupled weight decay (not on biases and LayerNorm)
 * @param gradClip global gradient norm clip; 0 = none
 * @param checkpointEvery write a checkpoint every this many steps (0 = only at the end)
 * @param keepCheckpoints how many checkpoints to keep
 * @param logEvery write a line to the stage's metrics.jsonl every this many steps
 */
public record StageTraining(Integer steps, Integer epochs, Integer batchSize, Integer microBatch,
    Double learningRate, Double warmup, Double weightDecay, Double gradClip,
    Integer checkpointEvery, Integer keepCheckpoints, Integer logEvery) {
  public StageTraining {
    ConfigProblems p = new ConfigProblems();
    if (steps != null) p.atLeast("steps", steps, 0);
    if (epochs != null) p.atLeast("epochs", epochs, 1);
    if (batchSize != null) p.atLeast("batch_size", batchSize, 1);
    if (microBatch != null) p.atLeast("micro_batch", microBatch, 0);
    if (batchSize != null && microBatch != null && microBatch > 0 && batchSize > 0 && batchSize % microBatch != 0) {
      p.add("micro_batch", "found " + microBatch + ", allowed a divisor of batch_size " + batchSize + " (or 0 = batch_size)");
    }
    if (learningRate != null) p.between("learning_rate", learningRate, 0, 1);
    if (warmup != null) p.between("warmup", warmup, 0, 1);
    if (weightDecay != null) p.between("weight_decay", weightDecay, 0, 1);
    if (gradClip != null) p.atLeast("grad_clip", gradClip, 0);
    if (checkpointEvery != null) p.atLeast("checkpoint_every", checkpointEvery, 0);
    if (keepCheckpoints != null) p.atLeast("keep_checkpoints", keepCheckpoints, 1);
    if (logEvery != null) p.atLeast("log_every", logEvery, 1);
    p.throwIfAny();
  }

  /** A stage's defaults: every field given. */
  public static StageTraining of(int steps, int epochs, int batchSize, double learningRate,
      double warmup, double weightDecay, double gradClip) {
    return new StageTraining(steps, epochs, batchSize, 0, learningRate, warmup, weightDecay,
        gradClip, 0, 2, 10);
  }

  /** This record with every absent field taken from defaults (given may be null). */
  public static StageTraining orDefaults(StageTraining given, StageTraining defaults) {
    if (given == null) return defaults;
    return new StageTraining(
        pick(given.steps, defaults.steps), pick(given.epochs, defaults.epochs),
        pick(given.batchSize, defaults.batchSize), pick(given.microBatch, defaults.microBatch),
        pick(given.learningRate, defaults.learningRate), pick(given.warmup, defaults.warmup),
        pick(given.weightDecay, defaults.weightDecay), pick(given.gradClip, defaults.gradClip),
        pick(given.checkpointEvery, defaults.checkpointEvery),
        pick(given.keepCheckpoints, defaults.keepCheckpoints), pick(given.logEvery, defaults.logEvery));
  }

  private static <T> T pick(T a, T b) { return a != null ? a : b; }

  /** Samples per forward pass (batchSize when microBatch is 0). */
  public int micro() { return microBatch == null || microBatch == 0 ? batchSize : microBatch; }

  /** Micro-batches per optimiser step. */
  public int accumulation() { return batchSize / micro(); }

  /** Optimiser steps: {@code steps} when given, else epochs x steps per epoch. */
  public long totalSteps(long microBatchesPerEpoch) {
    if (steps != null && steps > 0) return steps;
    return Math.max(1, microBatchesPerEpoch / accumulation()) * epochs;
  }
}
