package dev.newsrec.nn.punr;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.core.synth.SynthConfig;
import dev.newsrec.core.synth.SyntheticWorld;
import dev.newsrec.nn.Engines;
import dev.newsrec.nn.model.NewsInputs;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.model.NewsTokens;
import dev.newsrec.nn.plm.BertConfig;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.weights.HfFolder;
import dev.newsrec.nn.plm.tokenizer.PlmTokenizer;
import dev.newsrec.nn.plm.weights.PretrainedPlm;
import dev.newsrec.nn.rec.BuildContext;
import dev.newsrec.nn.rec.HistoryOptions;
import dev.newsrec.nn.rec.NceTrainingOptions;
import dev.newsrec.nn.rec.StageContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Shared set-up of the PUNR tests: a tiny random BERT folder over a corpus's words, the tiny world. */
final class PunrTesting {
  static final String[] SPECIALS = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};

  private PunrTesting() {}

  /** Offline engine on one intra-op thread (far faster for tiny models on a shared 2-core box). */
  static void engine() {
    Engines.prepare();
    Engines.setThreads(1);
  }

  static SyntheticWorld world() {
    return SyntheticWorld.generate(SynthConfig.preset("tiny").withSeed(1));
  }

  /**
   * A random BERT (hidden 32, 2 heads, 128 positions, weights from {@code seed}) with a whole-word
   * vocabulary of the corpus's titles and abstracts, written as a Hugging Face folder.
   */
  static Path folder(Path dir, NewsCorpus corpus, int layers, long seed) throws Exception {
    return folder(dir, corpus, layers, seed, 0.1f);
  }

  static Path folder(Path dir, NewsCorpus corpus, int layers, long seed, float dropout) throws Exception {
    List<String> vocab = new ArrayList<>(List.of(SPECIALS));
    vocab.addAll(words(corpus));
    BertConfig config = new BertConfig(vocab.size(), 32, layers, 2, 64, 128, 2, 1e-12f, dropout, dropout);
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed((int) seed);
      BertModel model = BertModel.builder().setConfig(config).build();
      model.initialize(m, DataType.FLOAT32, new Shape(1, 1));
      HfFolder.save(model, null, (byte[]) null, dir);
    }
    Files.write(dir.resolve(HfFolder.VOCAB), vocab);
    return dir;
  }

  static Set<String> words(NewsCorpus corpus) {
    Set<String> out = new LinkedHashSet<>();
    for (int n = 0; n < corpus.size(); n++) {
      String t = (corpus.get(n).title() + " " + corpus.get(n).abstractText()).toLowerCase(Locale.ROOT) + " ";
      StringBuilder word = new StringBuilder();
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

  /** Options for tiny tests: titles of 12 tokens, documents of 96, 8 behaviours. */
  static PunrOptions options(Path plm, boolean siamese, String pooling, NceTrainingOptions training) {
    return new PunrOptions(plm.toString(), 0, -1, false, 12, 96, siamese, pooling, 16, 8, "cpu",
        new HistoryOptions(8, "recent"), training);
  }

  static NewsRecModel build(PunrOptions o, NDManager manager, long seed) {
    Engines.seed(seed);
    return Punr.MODEL.build(o, BuildContext.of(manager));
  }

  static NewsInputs inputs(NewsCorpus corpus, PlmTokenizer tokenizer, int titleTokens) {
    return NewsInputs.of(corpus, NewsTokens.of(corpus, tokenizer, titleTokens));
  }

  /** A stage context over the world's training impressions and unlabelled histories. */
  static StageContext context(SyntheticWorld world, NewsInputs inputs, PlmTokenizer tokenizer,
      List<Path> earlier, Path dir, long seed, List<String> log) {
    Impressions train = world.train().impressions();
    return new StageContext(train, world.unlabelledHistories().histories(), inputs, tokenizer,
        List.of(), earlier, dir, seed, log::add);
  }

  static PlmTokenizer tokenizer(PunrOptions o) {
    return PretrainedPlm.tokenizer(o.plm());
  }
}
