package dev.newsrec.nn.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.random.RandomGenerator;

/**
 * What a {@link StepFunction} sees: a manager that is closed when the micro-batch ends, the
 * parameter store, whether this is training (dropout on) or evaluation, the position, and the
 * trainer's seeded generator (part of the checkpoint, so sampling inside steps resumes exactly).
 */
public final class StepContext {
  private final NDManager manager;
  private final ParameterStore parameterStore;
  private final boolean training;
  private final long step;
  private final int microBatch;
  private final RandomGenerator random;

  StepContext(NDManager manager, ParameterStore parameterStore, boolean training, long step, int microBatch,
      RandomGenerator random) {
    this.manager = manager;
    this.parameterStore = parameterStore;
    this.training = training;
    this.step = step;
    this.microBatch = microBatch;
    this.random = random;
  }

  /** The manager for inputs and temporaries of this micro-batch. */
  public NDManager manager() {
    return manager;
  }

  public ParameterStore parameterStore() {
    return parameterStore;
  }

  /** True while training (dropout active), false in evaluation. */
  public boolean training() {
    return training;
  }

  /** The 0-based optimiser step this micro-batch belongs to. */
  public long step() {
    return step;
  }

  /** The 0-based micro-batch index within the step (gradient accumulation). */
  public int microBatch() {
    return microBatch;
  }

  public RandomGenerator random() {
    return random;
  }

  /** Runs {@code block} on {@code inputs} in this context's mode. */
  public NDList forward(Block block, NDList inputs) {
    return block.forward(parameterStore, inputs, training);
  }
}
