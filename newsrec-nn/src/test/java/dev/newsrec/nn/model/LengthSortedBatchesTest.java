package dev.newsrec.nn.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.core.synth.SynthConfig;
import dev.newsrec.core.synth.SyntheticWorld;
import dev.newsrec.nn.Engines;
import dev.newsrec.nn.plm.BertConfig;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.tokenizer.PlmTokenizer;
import dev.newsrec.nn.plm.weights.PretrainedPlm;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Distinct news in length-sorted batches: the same vectors as one news at a time, in input order. */
class LengthSortedBatchesTest {
  private static final int TITLE_TOKENS = 12;

  @Test
  void batchesHoldEachNewsOnceShortestFirstAndResultsFollowTheInput() {
    Engines.prepare();
    NewsCorpus corpus = SyntheticWorld.generate(SynthConfig.preset("tiny").withSeed(3)).corpus();
    try (PlmTokenizer tok = PretrainedPlm.tokenizer("minilm");
        NDManager manager = NDManager.newBaseManager()) {
      NewsTokens titles = NewsTokens.of(corpus, tok, TITLE_TOKENS);
      int[] news = {7, 3, 7, 40, 1, 3, 12, 25, 0, 9};
      List<int[]> batches = new ArrayList<>();
      List<Integer> progress = new ArrayList<>();
      float[][] out = LengthSortedBatches.encode(titles, news, 3, manager, (m, rows) -> {
        batches.add(rows);
        float[][] v = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) v[r] = new float[] {rows[r], titles.ids(rows[r]).length};
        return v;
      }, (done, total) -> progress.add(done));
      int[] flat = batches.stream().flatMapToInt(IntStream::of).toArray();
      assertThat(flat).containsExactlyInAnyOrder(7, 3, 40, 1, 12, 25, 0, 9);
      assertThat(batches).allMatch(b -> b.length <= 3);
      for (int i = 1; i < flat.length; i++) {
        int a = titles.ids(flat[i - 1]).length;
        int b = titles.ids(flat[i]).length;
        assertThat(a < b || (a == b && flat[i - 1] < flat[i])).as("order at %d", i).isTrue();
      }
      assertThat(progress).containsExactly(3, 6, 8);
      for (int i = 0; i < news.length; i++) assertThat(out[i][0]).isEqualTo(news[i]);
      assertThat(out[2]).isSameAs(out[0]);
    }
  }

  @Test
  void vectorsEqualEncodingEachNewsAloneInInputOrder() {
    Engines.prepare();
    Engines.setThreads(1);
    NewsCorpus corpus = SyntheticWorld.generate(SynthConfig.preset("tiny").withSeed(3)).corpus();
    try (PlmTokenizer tok = PretrainedPlm.tokenizer("minilm");
        NDManager manager = NDManager.newBaseManager()) {
      NewsTokens raw = NewsTokens.of(corpus, tok, TITLE_TOKENS);
      TitleVocabulary vocabulary = TitleVocabulary.of(raw, tok);
      NewsInputs inputs = NewsInputs.of(corpus, vocabulary.apply(raw));
      Engine.getInstance().setRandomSeed(5);
      BertModel plm = BertModel.builder().setConfig(
          new BertConfig(vocabulary.size(), 32, 2, 2, 64, 64, 2, 1e-12f, 0.1f, 0.1f)).build();
      plm.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
      PlmNewsEncoder encoder = new PlmNewsEncoder(plm, 16);
      encoder.pooling().initialize(manager, DataType.FLOAT32, new Shape(1, 1, encoder.dim()));

      // every news once and a few twice, not in corpus order; titles of several lengths
      int n = corpus.size();
      int[] news = IntStream.concat(IntStream.range(0, 60).map(i -> (i * 37) % n),
          IntStream.of(5, 0, 5)).toArray();
      long lengths = IntStream.of(news).map(i -> inputs.titles().ids(i).length).distinct().count();
      assertThat(lengths).isGreaterThan(2);
      float[][] batched = LengthSortedBatches.vectors(encoder, inputs, news, 8, manager);
      assertThat(batched.length).isEqualTo(news.length);
      float spread = 0;
      for (int i = 0; i < news.length; i++) {
        float[] alone = LengthSortedBatches.vectors(encoder, inputs, new int[] {news[i]}, 1, manager)[0];
        assertThat(batched[i]).hasSize(encoder.dim());
        for (int k = 0; k < alone.length; k++) {
          assertThat(batched[i][k]).as("news %d dim %d", news[i], k).isCloseTo(alone[k], within(1e-5f));
          spread = Math.max(spread, Math.abs(alone[k] - batched[0][k]));
        }
      }
      assertThat(spread).as("vectors differ between news").isGreaterThan(1e-3f);
    }
  }
}
