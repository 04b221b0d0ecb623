package dev.newsrec.nn.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.News;
import dev.newsrec.core.model.TrainContext;
import dev.newsrec.core.synth.SynthConfig;
import dev.newsrec.core.synth.SyntheticWorld;
import dev.newsrec.nn.Engines;
import dev.newsrec.nn.nrms.Nrms;
import dev.newsrec.nn.nrms.NrmsOptions;
import dev.newsrec.nn.rec.HistoryOptions;
import dev.newsrec.nn.rec.NceTrainingOptions;
import dev.newsrec.nn.rec.NeuralRecommender;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request-level scoring: one impression at a time through a Scorer (user from its history,
 * candidates by dot product) gives the whole-split scores; a news added at run time from its
 * title gets the vector of the same title already in the corpus; vectors are cached, not recomputed.
 */
class ScoringTest {
  @TempDir Path tmp;

  @Test
  void requestsGiveTheSplitScoresAndAddedNewsAreEncodedFromTheirTitle() {
    Engines.prepare();
    Engines.setThreads(1);
    SyntheticWorld world = SyntheticWorld.generate(SynthConfig.preset("tiny").withSeed(6));
    Impressions train = world.train().impressions().head(64);
    Impressions dev = world.dev().impressions().head(30);
    NceTrainingOptions t = new NceTrainingOptions(4, 16, 16, 1, 3e-3, 3e-3, 0.1, 0.0, 1.0, 8, false, 1);
    NrmsOptions o = new NrmsOptions("minilm", false, 16, 2, 8, 8, 0.1, 16, "cpu",
        new HistoryOptions(5, "recent"), t);
    NeuralRecommender rec = (NeuralRecommender) Nrms.SPEC.train(o,
        new TrainContext(train, dev, 3, tmp, line -> {}));
    float[] split = rec.score(dev, line -> {});
    NewsScoring scoring = rec.scoring(dev.corpus());
    int cached = scoring.cachedNews();
    assertThat(cached).isPositive();
    try (Scorer s = scoring.scorer()) {
      for (int i = 0; i < dev.size(); i++) {
        int[] cands = new int[dev.candidateCount(i)];
        for (int j = 0; j < cands.length; j++) cands[j] = dev.candidate(i, j);
        float[] one = s.score(s.user(dev.history(i)), cands);
        for (int j = 0; j < cands.length; j++) {
          assertThat(one[j]).isCloseTo(split[dev.offset(i) + j], within(1e-5f));
        }
      }
      assertThat(scoring.cachedNews()).as("no news encoded twice").isEqualTo(cached);

      News known = dev.corpus().get(dev.candidate(0, 0));
      int added = scoring.addNews(News.of("FRESH-1", known.category(), known.subCategory(), known.title()));
      assertThat(added).isEqualTo(dev.corpus().size() - 1);
      assertThat(dev.corpus().id(added)).isEqualTo("FRESH-1");
      float[] fresh = s.newsVector(added);
      float[] same = s.newsVector(dev.candidate(0, 0));
      for (int k = 0; k < same.length; k++) assertThat(fresh[k]).isCloseTo(same[k], within(1e-5f));
      assertThat(scoring.addNews(News.of("FRESH-1", "x", "y", "other"))).as("known id keeps its index")
          .isEqualTo(added);
    }
  }
}
