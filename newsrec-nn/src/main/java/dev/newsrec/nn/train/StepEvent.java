package dev.newsrec.nn.train;

import java.util.Map;

/**
 * What happened in one optimiser step.
 *
 * @param step the number of optimiser steps done so far (1 after the first)
 * @param totalSteps the planned number of steps
 * @param loss mean loss over the step's micro-batches
 * @param smoothedLoss bias-corrected exponential moving average of the loss
 * @param learningRates each group's learning rate used in this step, by group name
 * @param gradNorm global gradient norm before clipping
 * @param stepsPerSecond optimiser steps per second since this run (or resume) started
 * @param elapsedSeconds seconds since this run (or resume) started
 * @param metrics what the step function recorded with {@code ctx.record}, averaged over micro-batches
 */
public record StepEvent(long step, long totalSteps, double loss, double smoothedLoss,
    Map<String, Double> learningRates, double gradNorm, double stepsPerSecond, double elapsedSeconds,
    Map<String, Double> metrics) {

  public StepEvent(long step, long totalSteps, double loss, double smoothedLoss, Map<String, Double> learningRates,
      double gradNorm, double stepsPerSecond, double elapsedSeconds) {
    this(step, totalSteps, loss, smoothedLoss, learningRates, gradNorm, stepsPerSecond, elapsedSeconds, Map.of());
  }

  /** The default group's learning rate (the group of everything no other group selects). */
  public double learningRate() {
    Double lr = learningRates.get("default");
    return lr != null ? lr : learningRates.values().iterator().next();
  }

  /** Seconds to the end at the current speed. */
  public double etaSeconds() {
    return stepsPerSecond > 0 ? (totalSteps - step) / stepsPerSecond : Double.NaN;
  }
}
