/**
 * The training loop every model uses: {@link dev.newsrec.nn.train.Trainer}, the {@link
 * dev.newsrec.nn.train.AdamW} optimiser with parameter groups, {@link
 * dev.newsrec.nn.train.LrSchedule learning-rate schedules}, gradient clipping, atomic checkpoints
 * and exact resume, progress display and metrics.
 *
 * <h2>Plugging a model in</h2>
 *
 * <pre>{@code
 * Block model = ...;                       // any initialised DJL block (the BERT blocks, a head, ...)
 * StepFunction<List<Impression>> step = (ctx, batch) -> {
 *   NDArray ids = ctx.manager().create(tokenIds(batch));      // inputs on the step's manager
 *   NDArray scores = ctx.forward(model, new NDList(ids)).singletonOrThrow(); // dropout on in training
 *   NDArray loss = crossEntropy(scores, labels);
 *   ctx.record("nce", loss);                                   // optional extra scalars
 *   return loss;                                               // scalar, mean over the batch
 * };
 * BatchSource<List<Impression>> source = new ShuffledBatches<>(train, 32, seed, true);
 * long total = epochs * ((ShuffledBatches<?>) source).batchesPerEpoch() / accumulation;
 *
 * try (AdamW opt = AdamW.builder()
 *         .learningRate(1e-4).weightDecay(0.01)                   // default group: everything else
 *         .group("plm", name -> name.startsWith("01plm"), 1e-5, 0.01)  // first matching group wins
 *         .build(model);                                          // biases and norms: no decay
 *     Trainer<List<Impression>> trainer = Trainer.builder(model, step, source)
 *         .optimizer(opt)
 *         .schedule(LrSchedule.linearWarmupDecay(total, 0.1))
 *         .totalSteps(total).accumulation(4).maxGradNorm(1.0).seed(42)
 *         .checkpoints(runDir.resolve("checkpoints"), 1000, 2)
 *         .listener(ProgressDisplay.auto(100))
 *         .listener(new MetricsJsonl(runDir.resolve("metrics.jsonl"), 10))
 *         .build()) {
 *   trainer.resumeLatest();                  // continue from the newest checkpoint, if any
 *   trainer.train();
 *   double auc = trainer.evaluate(ctx -> evaluateAuc(ctx, dev));   // training = false
 * }
 * }</pre>
 *
 * <h2>What a step does</h2>
 *
 * For each of the {@code accumulation} micro-batches: take a batch from the source, open a fresh
 * {@code NDManager}, set the engine seed to a function of (seed, step, micro-batch) so dropout
 * masks do not depend on history, run the step function in training mode inside a gradient
 * collector and back-propagate {@code loss / accumulation}; close the manager. Then clip the
 * gradients to the global norm, apply AdamW with each group's learning rate times {@code
 * schedule.multiplier(step)}, and zero the gradients. Inputs, activations, gradient handles and
 * optimiser temporaries all live on per-step managers; the moments live on the optimiser's own
 * manager; nothing is added to the model's manager.
 *
 * <h2>Checkpoints</h2>
 *
 * {@code <dir>/step-00001000/} holds {@code model.params} (the weights by parameter name, {@link
 * dev.newsrec.nn.train.ModelWeights}), {@code optimizer.bin} (m, v and step count per parameter)
 * and {@code trainer.properties} (step, totals, seed, the trainer's {@link
 * dev.newsrec.nn.train.TrainRandom} state, the batch source's opaque state, the smoothed loss). It
 * is written into a temporary folder and renamed, so every {@code step-N} folder is complete.
 * Restoring into a trainer built with the same configuration (seed, total steps, accumulation are
 * checked) continues with the same batches, dropout masks and random draws: the final weights equal
 * those of an uninterrupted run.
 *
 * <h2>Differences from PyTorch</h2>
 *
 * Gradients are zeroed in place rather than set to None, so a trainable parameter that had a
 * gradient once and gets none in a later step is updated with a zero gradient (its moments decay);
 * PyTorch would skip it. Freeze parameters ({@code Parameter.freeze(true)}) to keep them out.
 * Parameters that never received a gradient are skipped, as in PyTorch.
 */
package dev.newsrec.nn.train;
