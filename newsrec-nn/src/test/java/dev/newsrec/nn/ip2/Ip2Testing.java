package dev.newsrec.nn.ip2;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.newsrec.core.data.Entity;
import dev.newsrec.core.data.News;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.nn.Engines;
import dev.newsrec.nn.model.NewsInputs;
import dev.newsrec.nn.model.NewsTokens;
import dev.newsrec.nn.plm.BertConfig;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.weights.HfFolder;
import dev.newsrec.nn.plm.tokenizer.PlmTokenizer;
import dev.newsrec.nn.plm.weights.PretrainedPlm;
import dev.newsrec.nn.rec.HistoryOptions;
import dev.newsrec.nn.rec.NceTrainingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Shared set-up of the IP2 tests: a tiny random BERT folder and IP2 options of test size. */
final class Ip2Testing {
  static final int TITLE_TOKENS = 16;

  private Ip2Testing() {}

  /** Offline engine on one intra-op thread (tiny models: much faster on a shared 2-core box). */
  static NDManager manager() {
    Engines.prepare();
    Engines.setThreads(1);
    return NDManager.newBaseManager();
  }

  /**
   * A random BERT (hidden 32, 2 heads, {@code layers} layers) in Hugging Face layout whose
   * whole-word vocab.txt covers the corpus's titles, so {@code plm: <folder>} loads it as a user's
   * model would be loaded.
   */
  static Path plmFolder(Path dir, NewsCorpus corpus, int layers, long seed) throws Exception {
    List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
    Set<String> words = new LinkedHashSet<>();
    for (int n = 0; n < corpus.size(); n++) {
      for (String w : corpus.get(n).title().toLowerCase(Locale.ROOT).split("(?<=\\W)|(?=\\W)")) {
        if (!w.isBlank()) words.add(w.strip());
      }
    }
    vocab.addAll(words);
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

  /** IP2 at test size: news 32 wide, entities 16, 2 SEE layers; the rest as the paper. */
  static Ip2Options options(String plm, Boolean cross, String aggregation, Boolean seeCategories,
      String entityInit, NceTrainingOptions training) {
    return new Ip2Options(plm, 0, -1, false, TITLE_TOKENS, true, 2, 16, 32, 0.1, 16, 1.0, 4,
        seeCategories, 2, 2, 32, 0.1, entityInit, 4, cross, aggregation, "cpu",
        new HistoryOptions(6, "recent"), training);
  }

  static Ip2Options options(String plm) {
    return options(plm, true, Ip2Options.LEARNED, false, Ip2Options.RANDOM, null);
  }

  /** A corpus's inputs with titles tokenised by the PLM folder's tokenizer. */
  static NewsInputs inputs(NewsCorpus corpus, String plm) {
    try (PlmTokenizer tok = PretrainedPlm.tokenizer(plm)) {
      return NewsInputs.of(corpus, NewsTokens.of(corpus, tok, TITLE_TOKENS));
    }
  }

  /** A news whose title mentions the given WikidataIds, in this order. */
  static News news(String id, String category, String subcategory, String title, String... entities) {
    List<Entity> es = new ArrayList<>();
    for (int i = 0; i < entities.length; i++) {
      es.add(new Entity(entities[i], "P", entities[i], 1.0, List.of(i), List.of(entities[i])));
    }
    return new News(id, category, subcategory, title, "", "", es, List.of());
  }

  static NewsCorpus corpus(News... news) {
    NewsCorpus c = new NewsCorpus();
    for (News n : news) c.add(n);
    return c;
  }
}
