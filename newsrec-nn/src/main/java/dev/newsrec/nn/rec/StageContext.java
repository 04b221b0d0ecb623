package dev.newsrec.nn.rec;

import ai.djl.nn.Block;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.nn.model.NewsInputs;
import dev.newsrec.nn.plm.tokenizer.PlmTokenizer;
import dev.newsrec.nn.train.AdamW;
import dev.newsrec.nn.train.BatchSource;
import dev.newsrec.nn.train.LrSchedule;
import dev.newsrec.nn.train.MetricsJsonl;
import dev.newsrec.nn.train.ProgressDisplay;
import dev.newsrec.nn.train.StepFunction;
import dev.newsrec.nn.train.TrainListener;
import dev.newsrec.nn.train.Trainer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * What a pre-training stage gets.
 *
 * @param train the training impressions (their histories are users' behaviours)
 * @param histories histories of users without impressions (the train folder's histories.tsv),
 *     corpus indices oldest first; empty when there is none
 * @param inputs the corpus's news inputs (title tokens, categories, entities)
 * @param tokenizer the PLM's tokenizer
 * @param folders the data folders the run reads (train first), for files a stage reads itself
 * @param earlier the folders of the stages run before this one in this run, in order (a stage
 *     may read what an earlier one saved: PUNR's warmed-up decoder)
 * @param dir the stage's own folder in the run (checkpoints/, metrics.jsonl, what it exports)
 * @param seed the stage's seed
 * @param log a sink for progress lines
 */
public record StageContext(Impressions train, List<int[]> histories, NewsInputs inputs,
    PlmTokenizer tokenizer, List<Path> folders, List<Path> earlier, Path dir, long seed, Consumer<String> log) {

  public static final String METRICS = "metrics.jsonl";
  public static final String CHECKPOINTS = "checkpoints";

  /**
   * A trainer wired as every stage trains: linear warm-up and decay over the stage's steps,
   * gradient accumulation and clipping, checkpoints in {@code dir/checkpoints} (every
   * {@code checkpoint_every} steps and at the end), a line per {@code log_every} steps in
   * {@code dir/metrics.jsonl} (with whatever the step function records), progress on the console;
   * restored from the newest checkpoint when one exists. The caller calls {@code train()} and
   * closes it.
   *
   * @param model every block the stage trains (the model and the stage's own blocks)
   * @param microBatchesPerEpoch micro-batches of {@code t.micro()} samples in one pass over the data
   */
  public <B> Trainer<B> trainer(Block model, StepFunction<B> step, BatchSource<B> source,
      AdamW optimizer, StageTraining t, long microBatchesPerEpoch, TrainListener... listeners) {
    long total = t.totalSteps(microBatchesPerEpoch);
    MetricsJsonl metrics = new MetricsJsonl(dir.resolve(METRICS), t.logEvery());
    Trainer.Builder<B> b = Trainer.builder(model, step, source).optimizer(optimizer)
        .schedule(LrSchedule.linearWarmupDecay(total, t.warmup())).totalSteps(total)
        .accumulation(t.accumulation()).maxGradNorm(t.gradClip()).seed(seed)
        .checkpoints(dir.resolve(CHECKPOINTS), t.checkpointEvery(), t.keepCheckpoints())
        .listener(metrics).listener(ProgressDisplay.auto(Math.max(1, total / 10)));
    for (TrainListener l : listeners) b.listener(l);
    Trainer<B> trainer = b.build();
    if (trainer.resumeLatest()) {
      metrics.truncateAfter(trainer.step());
      log.accept(String.format(Locale.ROOT, "resumed %s at step %d of %d", dir.getFileName(),
          trainer.step(), total));
    }
    return trainer;
  }
}
