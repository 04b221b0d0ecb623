package dev.newsrec.nn.rec;

import ai.djl.ndarray.NDManager;
import dev.newsrec.nn.model.NewsInputs;
import dev.newsrec.nn.model.TitleVocabulary;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What {@link NeuralModel#build} gets.
 *
 * @param manager where the model's parameters live
 * @param vocabulary the model's own word table ({@link NeuralModel#vocabulary}) or null
 * @param inputs the training corpus's news inputs when training (a model may size tables from them:
 *     IP2's entity memory); null when loading a saved model
 * @param savedDir the model folder when loading (what {@link NeuralModel#save} wrote); null when
 *     training
 * @param log a sink for progress lines
 */
public record BuildContext(NDManager manager, TitleVocabulary vocabulary, NewsInputs inputs,
    Path savedDir, Consumer<String> log) {
  /** A fresh model without a corpus (benchmarks and tests of models that need none). */
  public static BuildContext of(NDManager manager) {
    return new BuildContext(manager, null, null, null, line -> {});
  }

  public boolean loading() { return savedDir != null; }
}
