package dev.newsrec.core.model;

import dev.newsrec.core.data.Impressions;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What a trainer gets: the training impressions (news resolved against the run's whole corpus),
 * the dev impressions for per-epoch evaluation (null when absent), the seed, the run folder for
 * checkpoints, and a sink for plain progress lines.
 */
public record TrainContext(Impressions train, Impressions dev, long seed, Path runDir,
    Consumer<String> log) {}
