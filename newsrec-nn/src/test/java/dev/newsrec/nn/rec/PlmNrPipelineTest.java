package dev.newsrec.nn.rec;

import dev.newsrec.nn.plmnr.PlmNrOptions;
import dev.newsrec.nn.plmnr.PlmNr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.metrics.Metrics;
import dev.newsrec.core.model.TrainContext;
import dev.newsrec.core.sample.NceSampler;
import dev.newsrec.core.synth.SynthConfig;
import dev.newsrec.core.synth.SyntheticWorld;
import dev.newsrec.nn.model.NewsTokens;
import dev.newsrec.nn.plm.tokenizer.PlmTokenizer;
import dev.newsrec.nn.plm.weights.PretrainedPlm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PLM-NR end to end on the tiny synthetic world with a tiny random BERT, loaded from a Hugging
 * Face folder through {@code plm: <folder>}, every layer trained. The tiny world is too hard for
 * a random BERT to gain much in a few dozen steps over all its logs, so it trains eight epochs on
 * the first 64 impressions (about 50 steps): the NCE loss must fall well below log(5) and the
 * model must rank those impressions. Then the scorer (news once, users once, dot products in
 * Java) must equal the model's blocks run directly on dev impressions.
 */
class PlmNrPipelineTest {
  static final int MAX_HISTORY = 6;
  static final int BATCH = 16;
  static final int EPOCHS = 8;
  static final long SEED = 7;

  @TempDir Path tmp;

  @Test
  void plmNrLearnsAndTheScorerAgreesWithTheBlocks() throws Exception {
    TinyPlm.engine();
    SyntheticWorld world = SyntheticWorld.generate(SynthConfig.preset("tiny").withSeed(4));
    Impressions train = world.train().impressions().head(64);
    Impressions dev = world.dev().impressions();
    Path plm = TinyPlm.folder(tmp.resolve("plm"), world.corpus(), 2, 1);
    NceTrainingOptions t = new NceTrainingOptions(4, BATCH, BATCH, EPOCHS, 3e-3, 3e-3, 0.1, 0.0,
        1.0, 64, false, 1);
    PlmNrOptions o = new PlmNrOptions(plm.toString(), 0, -1, false, 16, 2, 16, 0.1, "cpu",
        new HistoryOptions(MAX_HISTORY, "recent"), t);

    // The folder's vocab.txt covers the world's titles: (almost) no [UNK].
    try (PlmTokenizer tok = PretrainedPlm.tokenizer(o.plm())) {
      NewsTokens nt = NewsTokens.of(world.corpus(), tok, o.titleTokens());
      long all = 0;
      long unknown = 0;
      for (int n = 0; n < nt.size(); n++) {
        for (int id : nt.ids(n)) {
          all++;
          if (id == tok.unkId()) unknown++;
        }
      }
      assertThat(unknown).as("[UNK] of %d tokens", all).isLessThan(all / 100);
    }

    Path run = tmp.resolve("run");
    Files.createDirectories(run);
    List<String> log = new ArrayList<>();
    NeuralRecommender rec = (NeuralRecommender) PlmNr.SPEC.train(o,
        new TrainContext(train, dev, SEED, run, log::add));

    // One loss line per step (log_every 1): a random model starts at log(5), training ends well below.
    ObjectMapper json = new ObjectMapper();
    List<Double> losses = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      JsonNode n = json.readTree(line);
      if (n.has("loss")) losses.add(n.get("loss").asDouble());
    }
    int steps = EPOCHS * (new NceSampler(train, 4, SEED).samplesPerEpoch() / BATCH);
    assertThat(steps).isBetween(24, 80);
    assertThat(losses).hasSize(steps);
    double head = mean(losses.subList(0, 5));
    double tail = mean(losses.subList(steps - 10, steps));
    assertThat(head).isCloseTo(Math.log(5), within(0.15));
    assertThat(tail).as("losses %s", losses).isLessThan(head - 0.35);
    // The model ranks the impressions it trained on.
    assertThat(Metrics.evaluate(train, rec.score(train, log::add)).auc()).isGreaterThan(0.7);

    float[] scores = rec.score(dev, log::add);
    assertThat(scores).hasSize(dev.totalCandidates());

    // The scorer equals the blocks run directly, with the history cut here to its MAX_HISTORY most
    // recent clicks (tiny histories are longer).
    int cut = DirectScores.assertScorerEqualsBlocks(rec.model(), rec.tokens(dev.corpus()), dev, scores, 8,
        MAX_HISTORY);
    assertThat(cut).isPositive();
  }

  static double mean(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }
}
