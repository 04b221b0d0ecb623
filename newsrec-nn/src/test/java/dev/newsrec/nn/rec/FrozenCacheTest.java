package dev.newsrec.nn.rec;

import dev.newsrec.nn.plmnr.PlmNrOptions;
import dev.newsrec.nn.plmnr.PlmNr;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.core.synth.SynthConfig;
import dev.newsrec.core.synth.SyntheticWorld;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.model.NewsTokens;
import dev.newsrec.nn.model.PlmNewsEncoder;
import dev.newsrec.nn.plm.tokenizer.PlmTokenizer;
import dev.newsrec.nn.plm.weights.PretrainedPlm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cache_frozen: news vectors from the cached outputs of the frozen embeddings and lower layers
 * plus the trainable top layer equal those of the whole PLM run in evaluation mode.
 */
class FrozenCacheTest {
  @TempDir Path tmp;

  @Test
  void cachedFrozenOutputsGiveTheWholePlmsNewsVectors() throws Exception {
    TinyPlm.engine();
    NewsCorpus corpus = SyntheticWorld.generate(SynthConfig.preset("tiny").withSeed(3)).corpus();
    Path plm = TinyPlm.folder(tmp.resolve("plm"), corpus, 3, 1);
    PlmNrOptions o = new PlmNrOptions(plm.toString(), 0, 1, true, 12, 2, 16, 0.1, "cpu",
        HistoryOptions.defaults(), NceTrainingOptions.defaults());
    List<String> log = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager();
        PlmTokenizer tokenizer = PretrainedPlm.tokenizer(o.plm())) {
      NewsRecModel model = PlmNr.MODEL.build(o, dev.newsrec.nn.rec.BuildContext.of(manager));
      PlmNewsEncoder enc = (PlmNewsEncoder) model.newsEncoder();

      // trainable_layers 1 of 3: embeddings and layers 0-1 frozen, layer 2 and the pooling train.
      Map<String, Parameter> params = enc.plm().namedParameters();
      params.forEach((name, p) -> {
        boolean frozen = name.startsWith("embeddings.") || name.startsWith("encoder.layer.0.")
            || name.startsWith("encoder.layer.1.");
        assertThat(p.requiresGradient()).as(name).isEqualTo(!frozen);
      });
      enc.pooling().getParameters().values().forEach(p -> assertThat(p.requiresGradient()).isTrue());

      // titleTokens 12 cuts some titles: lengths vary, so the cache's batches pad differently.
      NewsTokens tokens = NewsTokens.of(corpus, tokenizer, o.titleTokens());
      long lengths = IntStream.range(0, tokens.size()).map(n -> tokens.ids(n).length).distinct().count();
      assertThat(lengths).isGreaterThan(2);
      int frozen = 3 - o.trainableLayers();
      FrozenCache cache = FrozenCache.build(enc.plm(), tokens, frozen, manager, 7, log::add);
      assertThat(cache.layers()).isEqualTo(2);
      assertThat(log).anyMatch(l -> l.contains("cached frozen PLM outputs"));

      // Every title, in corpus order (not the cache's length order), in batches of 13.
      ParameterStore ps = new ParameterStore(manager, false);
      float maxDiff = 0;
      float spread = 0;
      for (int from = 0; from < tokens.size(); from += 13) {
        int[] news = IntStream.range(from, Math.min(tokens.size(), from + 13)).toArray();
        try (NDManager m = manager.newSubManager()) {
          NewsTokens.Padded p = tokens.pad(news);
          NDArray whole = enc.encode(ps, m.create(p.ids(), new Shape(p.rows(), p.length())),
              m.create(p.mask(), new Shape(p.rows(), p.length())), false);
          NDList h = cache.get(m, news);
          assertThat(h.get(0).getShape()).isEqualTo(new Shape(news.length, p.length(), 32));
          assertThat(h.get(1).toLongArray()).containsExactly(p.mask());
          NDArray cached = enc.encodeFromHidden(ps, h.get(0), h.get(1), cache.layers(), false);
          assertThat(cached.getShape()).isEqualTo(new Shape(news.length, 32));
          maxDiff = Math.max(maxDiff, whole.sub(cached).abs().max().getFloat());
          spread = Math.max(spread, whole.sub(whole.get(0)).abs().max().getFloat());
        }
      }
      assertThat(maxDiff).isLessThan(1e-4f);
      // Not a trivial match: the vectors do differ between titles.
      assertThat(spread).isGreaterThan(1e-2f);
    }
  }
}
