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
  private final java.util.Map<String, Double> metrics = new java.util.LinkedHashMap<>();

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

  /**
   * Records a named scalar of this micro-batch (a loss term, an accuracy) for the step's {@link
   * StepEvent#metrics()}: the trainer averages it over the step's micro-batches. The array is read
   * at once (it must hold a single value).
   */
  public void record(String name, ai.djl.ndarray.NDArray scalar) {
    if (scalar.size() != 1) throw new IllegalArgumentException(name + " must be a scalar, got " + scalar.getShape());
    try (ai.djl.ndarray.NDArray d = scalar.toType(ai.djl.ndarray.types.DataType.FLOAT64, true)) {
      record(name, d.getDouble(new long[scalar.getShape().dimension()]));
    }
  }

  public void record(String name, double value) {
    metrics.put(name, value);
  }

  java.util.Map<String, Double> recorded() {
    return metrics;
  }

  /** Runs {@code block} on {@code inputs} in this context's mode. */
  public NDList forward(Block block, NDList inputs) {
    return block.forward(parameterStore, inputs, training);
  }
}
