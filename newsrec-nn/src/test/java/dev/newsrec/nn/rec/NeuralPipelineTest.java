package dev.newsrec.nn.rec;

import dev.newsrec.nn.nrms.NrmsOptions;
import dev.newsrec.nn.nrms.Nrms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.News;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.core.metrics.Metrics;
import dev.newsrec.core.model.TrainContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny NRMS trained end to end on a two-topic world: loss falls, dev AUC rises, scores agree. */
class NeuralPipelineTest {
  static final String[][] TOPICS = {
      {"football", "goal", "coach", "season", "league", "striker", "match", "cup"},
      {"stocks", "market", "bank", "rates", "profit", "shares", "investors", "oil"}};
  static final String[] COMMON = {"the", "new", "after", "big", "week", "says", "report", "day"};

  static NewsCorpus corpus;
  static Impressions train;
  static Impressions dev;
  static int[] topicOf;

  @TempDir static Path tmp;

  @BeforeAll
  static void world() {
    Random r = new Random(5);
    corpus = new NewsCorpus();
    topicOf = new int[80];
    for (int n = 0; n < 80; n++) {
      int t = n % 2;
      topicOf[n] = t;
      StringBuilder title = new StringBuilder();
      for (int w = 0; w < 6; w++) {
        String[] pool = r.nextInt(3) == 0 ? COMMON : TOPICS[t];
        title.append(pool[r.nextInt(pool.length)]).append(' ');
      }
      corpus.add(News.of("N" + n, t == 0 ? "sports" : "finance", "x", title.toString().trim()));
    }
    train = impressions(r, 300, 0);
    dev = impressions(r, 80, 1000);
  }

  /** Users like one topic: history from it, clicks on it (with a little noise). */
  static Impressions impressions(Random r, int count, int idBase) {
    Impressions.Builder b = Impressions.builder(corpus);
    for (int i = 0; i < count; i++) {
      int user = r.nextInt(40);
      int topic = user % 2;
      int[] hist = new int[3 + r.nextInt(5)];
      for (int k = 0; k < hist.length; k++) hist[k] = 2 * r.nextInt(40) + topic;
      int n = 4 + r.nextInt(4);
      int[] cands = new int[n];
      byte[] labels = new byte[n];
      for (int j = 0; j < n; j++) {
        cands[j] = r.nextInt(80);
        labels[j] = (byte) ((topicOf[cands[j]] == topic) ^ (r.nextInt(10) == 0) ? 1 : 0);
      }
      b.add("" + (idBase + i), "U" + user, 0, hist, cands, labels);
    }
    return b.build();
  }

  static NrmsOptions options() {
    NceTrainingOptions t = new NceTrainingOptions(4, 16, 16, 3, 3e-3, 1e-5, 0.1, 0.0, 1.0, 64,
        true, 1);
    return new NrmsOptions("minilm", false, 32, 4, 8, 16, 0.1, 16, "cpu", HistoryOptions.defaults(), t);
  }

  @Test
  void nrmsLearnsAndTheScorerAgreesWithTheBlocks() throws Exception {
    Path run = tmp.resolve("run");
    Files.createDirectories(run);
    List<String> log = new ArrayList<>();
    NeuralRecommender rec = (NeuralRecommender) Nrms.SPEC.train(options(),
        new TrainContext(train, dev, 7, run, log::add));
    // Loss falls: the last logged smoothed loss is well below the first step's loss.
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> steps = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      JsonNode n = json.readTree(line);
      if (n.has("loss")) steps.add(n);
    }
    assertThat(steps.size()).isGreaterThan(30);
    double first = steps.get(0).get("loss").asDouble();
    double last = steps.get(steps.size() - 1).get("smoothed_loss").asDouble();
    assertThat(first).isCloseTo(Math.log(5), within(0.3));
    assertThat(last).isLessThan(0.7 * first);

    float[] scores = rec.score(dev, log::add);
    assertThat(Metrics.evaluate(dev, scores).auc()).isGreaterThan(0.8);

    // The scorer (news once, users once, Java dot products) equals the blocks run directly.
    DirectScores.assertScorerEqualsBlocks(rec.model(), rec.tokens(corpus), dev, scores, 5, 50);

    // Saved weights load back to the same scores.
    Path dir = tmp.resolve("model");
    Files.createDirectories(dir);
    rec.save(dir);
    NeuralRecommender loaded = (NeuralRecommender) Nrms.SPEC.load(options(), dir);
    float[] again = loaded.score(dev, log::add);
    for (int k = 0; k < scores.length; k++) assertThat(again[k]).isCloseTo(scores[k], within(1e-4f));
  }
}
