package dev.newsrec.nn.rec;

import ai.djl.ndarray.NDManager;
import dev.newsrec.nn.model.NewsInputs;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.model.NewsTokens;
import dev.newsrec.nn.model.TitleVocabulary;
import dev.newsrec.nn.plm.tokenizer.PlmTokenizer;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a model package (nrms, plmnr, ...) gives the shared NCE pipeline ({@link NeuralSpec}): how
 * to build the model and where it differs from the defaults. Shared code never asks which model it
 * runs.
 *
 * @param <O> the model's options record (the config's {@code model} section)
 */
public interface NeuralModel<O extends NeuralOptions> {
  /** The config's {@code model.type}. */
  String type();

  Class<O> optionsType();

  /**
   * The model's own word table over the titles' tokens (NRMS), saved with the model; null (the
   * default) when the titles keep the PLM's token ids.
   */
  default TitleVocabulary vocabulary(O options, NewsTokens tokens, PlmTokenizer tokenizer) {
    return null;
  }

  /**
   * Builds the model: a PLM's weights loaded where it has one, every other parameter initialised
   * from the engine's (seeded) generator. The context's vocabulary is what {@link #vocabulary}
   * gave, or the saved one; when loading, the weights are read after this returns.
   */
  NewsRecModel build(O options, BuildContext context);

  /**
   * Writes what the model needs besides its weights and word table (IP2: its entity and category
   * tables) into the model folder; {@link #build} reads it back from {@link BuildContext#savedDir()}.
   */
  default void save(O options, NewsRecModel model, java.nio.file.Path dir) {}

  /**
   * Whether the model reads entity vectors (MIND's TransE {@code entity_embedding.vec}): the
   * pipeline then loads them from the data folders into {@link NewsInputs} before building.
   */
  default boolean entityVectors(O options) {
    return false;
  }

  /**
   * How training steps get news vectors; by default the whole news encoder over the padded titles.
   * A model may precompute what does not train (PLM-NR: the frozen layers' outputs, once per title).
   */
  default NewsVectors trainingNews(O options, NewsRecModel model, NewsInputs inputs,
      NDManager manager, Consumer<String> log) {
    return NewsVectors.encoder(model, inputs);
  }

  /**
   * The pre-training stages this model offers, by the names configs list under
   * {@code pretraining:}; none by default.
   */
  default List<PretrainingStage<O, ?>> stages() {
    return List.of();
  }
}
