package dev.newsrec.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.newsrec.core.data.Impressions;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a trainer gets.
 *
 * @param train the training impressions (news resolved against the run's whole corpus)
 * @param dev the dev impressions, scored after each epoch for the report (null when absent); never
 *     used to choose anything
 * @param valid the validation impressions that select the best epoch (null: the last epoch is kept)
 * @param seed the seed of this fine-tuning run
 * @param runDir this run's folder (one seed's folder in a multi-seed run): model, checkpoints
 * @param log a sink for plain progress lines
 * @param folders the data folders read, train first (files a model reads itself: entity vectors,
 *     histories.tsv)
 * @param pretraining the config's {@code pretraining:} list (null when absent)
 * @param pretrainingDir where pre-training stages keep their folders: shared by the seeds of a
 *     multi-seed run, so one pre-training serves every fine-tuning seed
 * @param pretrainingSeed the seed stages use unless they name their own
 * @param initFrom a run folder whose weights start this run (by parameter name); null = none
 * @param resume continue from the newest checkpoints in runDir instead of starting over
 */
public record TrainContext(Impressions train, Impressions dev, Impressions valid, long seed,
    Path runDir, Consumer<String> log, List<Path> folders, JsonNode pretraining,
    Path pretrainingDir, long pretrainingSeed, Path initFrom, boolean resume) {
  public TrainContext {
    folders = folders == null ? List.of() : List.copyOf(folders);
    if (pretrainingDir == null) pretrainingDir = runDir;
  }

  /** A plain fine-tuning run: no validation split, no stages, no init, fresh start. */
  public TrainContext(Impressions train, Impressions dev, long seed, Path runDir, Consumer<String> log) {
    this(train, dev, null, seed, runDir, log, List.of(), null, runDir, seed, null, false);
  }
}
