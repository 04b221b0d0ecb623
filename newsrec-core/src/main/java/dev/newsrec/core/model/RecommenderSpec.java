package dev.newsrec.core.model;

import java.nio.file.Path;

/**
 * A model type as configs name it: its options record (the keys of the config's model section),
 * how to train it and how to load a saved one.
 *
 * @param <O> the options record
 */
public interface RecommenderSpec<O> {
  String type();

  Class<O> optionsType();

  Recommender train(O options, TrainContext context);

  Recommender load(O options, Path dir);

  /**
   * The options records of the pre-training stages this model offers, by the stage names a
   * config's {@code pretraining:} list uses; none by default.
   */
  default java.util.Map<String, Class<?>> stages() {
    return java.util.Map.of();
  }
}
