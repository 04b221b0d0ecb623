package dev.newsrec.nn.train;

import java.nio.file.Path;

/** Called by the {@link Trainer} after each optimiser step and checkpoint (metrics.jsonl, plots, evaluation). */
public interface TrainListener {
  void onStep(Trainer<?> trainer, StepEvent event);

  default void onCheckpoint(Trainer<?> trainer, Path checkpoint) {}
}
