package dev.newsrec.nn.rec;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.nn.Engines;
import dev.newsrec.nn.plm.BertConfig;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.weights.HfFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Shared set-up of the PLM-NR tests: PyTorch on one thread, and a tiny random BERT saved as a
 * Hugging Face folder whose {@code vocab.txt} holds every word (and punctuation character) of a
 * corpus's titles, so {@code plm: <folder>} goes through the same loading path as a real model.
 */
final class TinyPlm {
  static final String[] SPECIALS = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};

  private TinyPlm() {}

  /** Offline engine, one intra-op thread (see PlmTesting: much faster on a shared 2-core box). */
  static void engine() {
    Engines.prepare();
    Engines.setThreads(1);
  }

  /**
   * Writes a random BERT (hidden 32, 2 heads, intermediate 64, weights drawn from {@code seed})
   * with {@code layers} layers and a whole-word vocabulary of {@code corpus}'s titles into {@code
   * dir}; returns dir.
   */
  static Path folder(Path dir, NewsCorpus corpus, int layers, long seed) throws Exception {
    List<String> vocab = new ArrayList<>(List.of(SPECIALS));
    vocab.addAll(words(corpus));
    BertConfig config = new BertConfig(vocab.size(), 32, layers, 2, 64, 64, 2, 1e-12f, 0.1f, 0.1f);
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed((int) seed);
      BertModel model = BertModel.builder().setConfig(config).build();
      model.initialize(m, DataType.FLOAT32, new Shape(1, 1));
      HfFolder.save(model, null, (byte[]) null, dir);
    }
    Files.write(dir.resolve(HfFolder.VOCAB), vocab);
    return dir;
  }

  /** Lower-cased words and punctuation characters of every title, in first-seen order. */
  static Set<String> words(NewsCorpus corpus) {
    Set<String> out = new LinkedHashSet<>();
    for (int n = 0; n < corpus.size(); n++) {
      StringBuilder word = new StringBuilder();
      String t = corpus.get(n).title().toLowerCase(Locale.ROOT) + " ";
      for (int i = 0; i < t.length(); i++) {
        char c = t.charAt(i);
        if (Character.isLetterOrDigit(c)) {
          word.append(c);
          continue;
        }
        if (word.length() > 0) out.add(word.toString());
        word.setLength(0);
        if (!Character.isWhitespace(c)) out.add(String.valueOf(c));
      }
    }
    return out;
  }
}
