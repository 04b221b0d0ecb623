package dev.newsrec.core.model;

import dev.newsrec.core.data.Impressions;
import java.nio.file.Path;

/** A trained model. It scores candidates and never changes after training. */
public interface Recommender {
  /** The config's {@code model.type} that made it. */
  String type();

  /** One score per candidate, aligned with {@link Impressions#flatCandidates()}; higher = better. */
  float[] score(Impressions impressions);

  /** Writes what {@link RecommenderSpec#load} needs into an existing empty folder. */
  void save(Path dir);
}
