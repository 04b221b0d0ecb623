package dev.newsrec.nn.rec;

import ai.djl.ndarray.NDManager;
import dev.newsrec.core.UserException;
import dev.newsrec.nn.plm.BertConfig;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.HfFolder;
import dev.newsrec.nn.plm.HfTokenizer;
import dev.newsrec.nn.plm.MiniLm;
import dev.newsrec.nn.plm.PlmTokenizer;
import dev.newsrec.nn.plm.WordPieceTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** A config's {@code plm} option: "minilm" (bundled) or a local Hugging Face BERT folder. */
final class Plms {
  static final String MINILM = "minilm";

  private Plms() {}

  static PlmTokenizer tokenizer(String plm) {
    if (plm.equals(MINILM)) return HfTokenizer.miniLm();
    Path dir = folder(plm);
    if (Files.isRegularFile(dir.resolve(HfFolder.TOKENIZER))) return HfTokenizer.open(dir.resolve(HfFolder.TOKENIZER));
    if (Files.isRegularFile(dir.resolve(HfFolder.VOCAB))) {
      return WordPieceTokenizer.fromVocabFile(dir.resolve(HfFolder.VOCAB), true);
    }
    throw new UserException(dir + ": no " + HfFolder.TOKENIZER + " or " + HfFolder.VOCAB);
  }

  static BertConfig config(String plm) {
    return plm.equals(MINILM) ? MiniLm.config() : HfFolder.config(folder(plm));
  }

  static BertModel load(String plm, NDManager manager, Consumer<BertModel.Builder> options) {
    return plm.equals(MINILM) ? MiniLm.load(manager, options) : HfFolder.load(folder(plm), manager, options);
  }

  private static Path folder(String plm) {
    Path dir = Path.of(plm);
    if (!Files.isDirectory(dir)) {
      throw new UserException("plm '" + plm + "': neither 'minilm' nor a Hugging Face model folder");
    }
    return dir;
  }
}
