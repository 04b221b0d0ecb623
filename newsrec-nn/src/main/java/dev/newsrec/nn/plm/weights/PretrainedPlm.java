package dev.newsrec.nn.plm.weights;

import ai.djl.ndarray.NDManager;
import dev.newsrec.core.UserException;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.tokenizer.HfTokenizer;
import dev.newsrec.nn.plm.tokenizer.PlmTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A pre-trained encoder with its tokenizer, from a configuration value: {@code minilm} (the
 * bundled all-MiniLM-L6-v2) or the path of a local Hugging Face folder. The model's parameters
 * live on the given manager; close the tokenizer when done.
 */
public record PretrainedPlm(BertModel model, PlmTokenizer tokenizer) implements AutoCloseable {
  /** The name that selects the bundled MiniLM. */
  public static final String BUNDLED = "minilm";

  /**
   * Loads {@code source} ({@value #BUNDLED} or a folder), with {@code options} applied to the
   * model builder (layer truncation, segment table).
   */
  public static PretrainedPlm load(String source, NDManager manager,
      Consumer<BertModel.Builder> options) {
    if (source.equalsIgnoreCase(BUNDLED)) {
      return new PretrainedPlm(MiniLm.load(manager, options), MiniLm.tokenizer());
    }
    Path dir = folder(source);
    PlmTokenizer tokenizer = HfFolder.tokenizer(dir);
    try {
      return new PretrainedPlm(HfFolder.load(dir, manager, options), tokenizer);
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  /** Only the tokenizer of {@code source} ({@value #BUNDLED} or a folder). */
  public static PlmTokenizer tokenizer(String source) {
    return source.equalsIgnoreCase(BUNDLED) ? MiniLm.tokenizer() : HfFolder.tokenizer(folder(source));
  }

  private static Path folder(String source) {
    Path dir = Path.of(source);
    if (!Files.isDirectory(dir)) {
      throw new UserException("PLM '" + source + "': expected '" + BUNDLED
          + "' or a Hugging Face model folder (config.json, model.safetensors, tokenizer.json)");
    }
    return dir;
  }

  public static PretrainedPlm load(String source, NDManager manager) {
    return load(source, manager, b -> { });
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
