package dev.newsrec.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.metrics.HistoryBreakdown;
import dev.newsrec.core.metrics.Metrics;
import dev.newsrec.core.metrics.MetricsResult;
import dev.newsrec.core.metrics.Prediction;
import dev.newsrec.core.metrics.PredictionFile;
import dev.newsrec.core.mind.MindReader;
import dev.newsrec.core.mind.ReadOptions;
import dev.newsrec.core.mind.ReadReport;
import dev.newsrec.core.synth.SynthConfig;
import dev.newsrec.core.synth.SyntheticWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spark evaluation against core's single-machine evaluation (what {@code newsrec evaluate} runs). */
class SparkEvaluateTest {
  static JavaSparkContext sc;
  @TempDir static Path tmp;
  static Path truth;

  @BeforeAll
  static void start() throws Exception {
    sc = SparkEngine.start("local[2]", "SparkEvaluateTest");
    Path world = tmp.resolve("tiny");
    SyntheticWorld.generate(SynthConfig.preset("tiny").withSeed(3)).write(world, s -> {});
    // two impressions made all-negative and all-positive, so both skip counts are exercised
    List<String> lines = new ArrayList<>(Files.readAllLines(world.resolve("dev/behaviors.tsv")));
    lines.set(3, lines.get(3).replaceAll("-1( |$)", "-0$1"));
    lines.set(5, lines.get(5).replaceAll("-0( |$)", "-1$1"));
    truth = tmp.resolve("behaviors.tsv");
    Files.write(truth, lines);
  }

  @AfterAll
  static void stop() {
    sc.close();
  }

  static Impressions truth() {
    return MindReader.readBehaviors(truth, null, ReadOptions.STRICT, new ReadReport());
  }

  /** Ranks from seeded random scores with ties (so tie order matters too). */
  static Prediction randomPrediction(Impressions t, long seed) {
    Random r = new Random(seed);
    float[] scores = new float[t.totalCandidates()];
    for (int i = 0; i < scores.length; i++) scores[i] = r.nextInt(5);
    return Prediction.fromScores(t, scores);
  }

  @Test
  void sameMetricsSkipsAndBreakdownAsTheSingleMachineEvaluation() {
    Impressions t = truth();
    for (String name : new String[] {"prediction.txt", "prediction.zip"}) {
      Prediction p = randomPrediction(t, name.length());
      Path file = tmp.resolve(name);
      PredictionFile.write(file, p);
      MetricsResult expected = Metrics.evaluate(t, PredictionFile.read(file));
      HistoryBreakdown expectedBy = Metrics.byHistoryLength(t, PredictionFile.read(file));
      SparkEvaluate.Evaluation e = SparkEvaluate.evaluate(sc, truth, file);
      close(e.all(), expected);
      assertThat(expected.skippedAllNegative()).isGreaterThanOrEqualTo(1);
      assertThat(expected.skippedAllPositive()).isGreaterThanOrEqualTo(1);
      assertThat(e.byHistory().buckets()).hasSameSizeAs(expectedBy.buckets());
      int nonEmpty = 0;
      for (int b = 0; b < expectedBy.buckets().size(); b++) {
        assertThat(e.byHistory().buckets().get(b).clicks()).isEqualTo(expectedBy.buckets().get(b).clicks());
        close(e.byHistory().buckets().get(b).metrics(), expectedBy.buckets().get(b).metrics());
        if (expectedBy.buckets().get(b).metrics().impressions() > 0) nonEmpty++;
      }
      assertThat(nonEmpty).isGreaterThan(1);
    }
  }

  static void close(MetricsResult actual, MetricsResult expected) {
    assertThat(actual.impressions()).isEqualTo(expected.impressions());
    assertThat(actual.skippedAllNegative()).isEqualTo(expected.skippedAllNegative());
    assertThat(actual.skippedAllPositive()).isEqualTo(expected.skippedAllPositive());
    if (expected.impressions() == 0) {
      assertThat(actual.auc()).isNaN();
      return;
    }
    assertThat(actual.auc()).isCloseTo(expected.auc(), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(actual.mrr()).isCloseTo(expected.mrr(), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(actual.ndcg5()).isCloseTo(expected.ndcg5(), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(actual.ndcg10()).isCloseTo(expected.ndcg10(), org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aPredictionThatDoesNotAnswerTheTruthFailsAsEvaluateDoes() throws Exception {
    Impressions t = truth();
    Path good = tmp.resolve("good.txt");
    PredictionFile.write(good, randomPrediction(t, 7));
    List<String> lines = new ArrayList<>(Files.readAllLines(good));
    Path missing = tmp.resolve("missing.txt");
    List<String> shorter = new ArrayList<>(lines);
    shorter.remove(10);
    Files.write(missing, shorter);
    Path swapped = tmp.resolve("swapped.txt");
    List<String> other = new ArrayList<>(lines);
    String l = other.get(4);
    other.set(4, other.get(5));
    other.set(5, l);
    Files.write(swapped, other);
    for (Path bad : List.of(missing, swapped)) {
      Throwable expected = catchThrowable(() -> Metrics.evaluate(t, PredictionFile.readToMatch(bad)));
      assertThat(expected).isNotNull();
      assertThatThrownBy(() -> SparkEvaluate.evaluate(sc, truth, bad)).hasMessage(expected.getMessage());
    }
  }
}
