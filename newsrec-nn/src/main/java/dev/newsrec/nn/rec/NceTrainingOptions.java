package dev.newsrec.nn.rec;

import dev.newsrec.core.config.ConfigProblems;
import dev.newsrec.core.config.MovedKeys;

/**
 * How a two-tower model is fine-tuned with NCE (the {@code model.training} section). Defaults are
 * the papers' shared settings (1 positive + 4 negatives, AdamW, linear warm-up and decay, history
 * of the 50 most recent clicks); configs set batch size, epochs and learning rates per paper.
 *
 * @param negatives K negatives per clicked candidate (both papers: 4)
 * @param batchSize samples per optimiser step
 * @param microBatch samples per forward/backward pass (gradient accumulation); 0 = batchSize
 * @param epochs passes over the training samples
 * @param learningRate learning rate of everything but the PLM
 * @param plmLearningRate learning rate of the PLM's parameters (IP2: 1e-5 vs 1e-4 for the rest)
 * @param warmup share of all steps (0 to 1) with linear warm-up, then linear decay to 0
 * @param weightDecay AdamW's decoupled weight decay (not on biases and LayerNorm)
 * @param gradClip global gradient norm clip; 0 = none
 * @param evalBatch titles or users per forward pass when scoring
 * @param evalEveryEpoch score dev after every epoch (metrics.jsonl and the report's plot)
 * @param logEvery write a loss line to metrics.jsonl every this many steps
 * @param checkpointEvery write a checkpoint (weights, optimiser, schedule, sampler position,
 *     random state) every this many steps into the run's checkpoints/, atomically; 0 = only at
 *     the end of training. {@code newsrec train --resume RUN} continues from the newest.
 * @param keepCheckpoints how many checkpoints to keep (the oldest are deleted)
 */
@MovedKeys({"max_history=model.history.max", "history_policy=model.history.policy"})
public record NceTrainingOptions(Integer negatives, Integer batchSize, Integer microBatch,
    Integer epochs, Double learningRate, Double plmLearningRate, Double warmup, Double weightDecay,
    Double gradClip, Integer evalBatch,
    Boolean evalEveryEpoch, Integer logEvery, Integer checkpointEvery, Integer keepCheckpoints) {
  public NceTrainingOptions {
    if (negatives == null) negatives = 4;
    if (batchSize == null) batchSize = 64;
    boolean ownMicro = microBatch != null && microBatch != 0;
    if (!ownMicro) microBatch = batchSize;
    if (epochs == null) epochs = 3;
    if (learningRate == null) learningRate = 1e-4;
    if (plmLearningRate == null) plmLearningRate = 1e-5;
    if (warmup == null) warmup = 0.1;
    if (weightDecay == null) weightDecay = 0.01;
    if (gradClip == null) gradClip = 1.0;
    if (evalBatch == null) evalBatch = 128;
    if (evalEveryEpoch == null) evalEveryEpoch = true;
    if (logEvery == null) logEvery = 10;
    if (checkpointEvery == null) checkpointEvery = 500;
    if (keepCheckpoints == null) keepCheckpoints = 2;
    ConfigProblems p = new ConfigProblems();
    p.atLeast("negatives", negatives, 1);
    p.atLeast("batch_size", batchSize, 1);
    // Only a micro_batch the user gave is blamed: a default one is batch_size itself.
    if (ownMicro && microBatch < 0) p.add("micro_batch", "found " + microBatch + ", allowed >= 0 (0 = batch_size)");
    if (ownMicro && batchSize >= 1 && microBatch >= 1 && batchSize % microBatch != 0) {
      p.add("micro_batch", "found " + microBatch + ", allowed a divisor of batch_size " + batchSize
          + " (or 0 = batch_size)");
    }
    p.atLeast("epochs", epochs, 1);
    p.between("learning_rate", learningRate, 0, 1);
    p.between("plm_learning_rate", plmLearningRate, 0, 1);
    p.between("warmup", warmup, 0, 1);
    p.between("weight_decay", weightDecay, 0, 1);
    p.atLeast("grad_clip", gradClip, 0);
    p.atLeast("eval_batch", evalBatch, 1);
    p.atLeast("log_every", logEvery, 1);
    p.atLeast("checkpoint_every", checkpointEvery, 0);
    p.atLeast("keep_checkpoints", keepCheckpoints, 1);
    p.throwIfAny();
  }

  /** Checkpoints at their defaults (tests and benchmarks). */
  public NceTrainingOptions(Integer negatives, Integer batchSize, Integer microBatch, Integer epochs,
      Double learningRate, Double plmLearningRate, Double warmup, Double weightDecay, Double gradClip,
      Integer evalBatch, Boolean evalEveryEpoch, Integer logEvery) {
    this(negatives, batchSize, microBatch, epochs, learningRate, plmLearningRate, warmup, weightDecay,
        gradClip, evalBatch, evalEveryEpoch, logEvery, null, null);
  }

  public static NceTrainingOptions defaults() {
    return new NceTrainingOptions(null, null, null, null, null, null, null, null, null, null, null,
        null, null, null);
  }
}
