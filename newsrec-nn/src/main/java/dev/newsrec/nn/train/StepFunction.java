package dev.newsrec.nn.train;

import ai.djl.ndarray.NDArray;

/**
 * Computes the scalar loss of one (micro-)batch: build the inputs on {@code ctx.manager()}, run
 * the model with {@code ctx.forward(...)} (or {@code block.forward(ctx.parameterStore(), inputs,
 * ctx.training())}), return the mean loss as a scalar array. Everything it creates lives in the
 * step's manager and is freed when the step ends.
 *
 * @param <B> the batch type
 */
@FunctionalInterface
public interface StepFunction<B> {
  NDArray loss(StepContext ctx, B batch);
}
