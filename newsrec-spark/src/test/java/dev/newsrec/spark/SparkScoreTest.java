package dev.newsrec.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.newsrec.core.data.DataFormatException;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.core.metrics.Prediction;
import dev.newsrec.core.metrics.PredictionFile;
import dev.newsrec.core.mind.MindFolder;
import dev.newsrec.core.mind.MindReader;
import dev.newsrec.core.mind.ReadOptions;
import dev.newsrec.core.mind.ReadReport;
import dev.newsrec.core.run.RunFolder;
import dev.newsrec.nn.ModelManifest;
import dev.newsrec.nn.infer.NewsVectorFile;
import dev.newsrec.nn.infer.Scorer;
import dev.newsrec.nn.rec.NeuralRecommender;
import dev.newsrec.nn.runtime.Experiment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spark scoring against the single-process path of {@code newsrec predict} on the tiny world. */
class SparkScoreTest {
  static JavaSparkContext sc;
  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    sc = SparkEngine.start("local[2]", "SparkScoreTest");
  }

  @AfterAll
  static void stop() {
    sc.close();
  }

  @Test
  void ranksAgreeWithPredictExceptNearTiesAndVectorsAreServable() throws Exception {
    Path runDir = TinyRun.run();
    Path dev = TinyRun.world().resolve("dev");
    Path out = tmp.resolve("scored");
    List<String> log = new ArrayList<>();
    SparkScore.Result r = SparkScore.score(sc, runDir, dev, out, SparkScore.Options.DEFAULT, log::add);

    // what predict does: the model loaded in this JVM, the split read by MindReader, model.score
    RunFolder run = RunFolder.open(runDir);
    NeuralRecommender model = (NeuralRecommender) Experiment.loadModel(run);
    NewsCorpus corpus = MindFolder.corpus(List.of(MindFolder.of(dev)), ReadOptions.STRICT, new ArrayList<>());
    Impressions imps = MindReader.readBehaviors(dev.resolve("behaviors.tsv"), corpus, ReadOptions.STRICT, new ReadReport());
    float[] raw = model.score(imps, s -> {});
    Prediction expected = Prediction.fromScores(imps, raw);

    Prediction actual = PredictionFile.read(out.resolve(SparkScore.PREDICTION));
    assertThat(r.impressions()).isEqualTo(imps.size()).isGreaterThan(100);
    assertThat(actual.size()).isEqualTo(imps.size());
    int disagreeing = 0;
    for (int i = 0; i < imps.size(); i++) {
      assertThat(actual.impressionId(i)).isEqualTo(imps.impressionId(i));
      int n = imps.candidateCount(i);
      assertThat(actual.candidateCount(i)).isEqualTo(n);
      boolean differs = false;
      for (int j = 0; j < n; j++) {
        for (int k = 0; k < n; k++) {
          boolean before = expected.rank(i, j) < expected.rank(i, k);
          if (before && actual.rank(i, j) > actual.rank(i, k)) {
            differs = true;
            assertThat(Math.abs(raw[imps.offset(i) + j] - raw[imps.offset(i) + k]))
                .as("impression %s candidates %d and %d swapped", imps.impressionId(i), j, k)
                .isLessThan((float) SparkScore.NEAR_TIE);
          }
        }
      }
      if (differs) disagreeing++;
    }
    assertThat(disagreeing).isLessThanOrEqualTo((int) r.nearTieImpressions());
    // the model must spread its scores, or the comparison above proves little
    assertThat(r.nearTieImpressions()).isLessThan(imps.size() / 10);

    // the zip holds the same text
    try (ZipFile zip = new ZipFile(out.resolve(SparkScore.PREDICTION_ZIP).toFile())) {
      assertThat(zip.size()).isEqualTo(1);
      String inZip = new String(zip.getInputStream(zip.getEntry("prediction.txt")).readAllBytes());
      assertThat(inZip).isEqualTo(Files.readString(out.resolve(SparkScore.PREDICTION)));
    }

    // news vectors: stamped with the model's checksum (what newsrec serve checks) and equal to predict's
    Map<String, float[]> vectors = NewsVectorFile.read(out.resolve(SparkScore.VECTORS),
        ModelManifest.checksum(run.file(RunFolder.MODEL)));
    assertThat(vectors).hasSize(corpus.size());
    try (Scorer s = model.scoring(corpus).scorer()) {
      for (int n = 0; n < corpus.size(); n++) {
        float[] mine = s.newsVector(n);
        float[] theirs = vectors.get(corpus.id(n));
        for (int d = 0; d < mine.length; d++) assertThat(theirs[d]).isCloseTo(mine[d], org.assertj.core.data.Offset.offset(1e-5f));
      }
    }
    assertThat(String.join("\n", log)).contains("news vectors: " + corpus.size() + " encoded");
  }

  @Test
  void aBadLineStopsTheJobAndNothingIsWritten() throws Exception {
    Path runDir = TinyRun.run();
    Path dev = TinyRun.world().resolve("dev");
    Path bad = tmp.resolve("bad");
    Files.createDirectories(bad);
    Files.copy(dev.resolve("news.tsv"), bad.resolve("news.tsv"));
    List<String> lines = new ArrayList<>(Files.readAllLines(dev.resolve("behaviors.tsv")));
    String[] cols = lines.get(7).split("\t", -1);
    cols[2] = "yesterday";
    lines.set(7, String.join("\t", cols));
    Files.write(bad.resolve("behaviors.tsv"), lines);
    String expected = org.assertj.core.api.Assertions.catchThrowable(() -> MindReader.readBehaviors(
        bad.resolve("behaviors.tsv"), MindReader.readNews(bad.resolve("news.tsv"), ReadOptions.STRICT, new ReadReport()),
        ReadOptions.STRICT, new ReadReport())).getMessage();
    assertThat(expected).contains(":8: field Time");
    Path out = tmp.resolve("out");
    assertThatThrownBy(() -> SparkScore.score(sc, runDir, bad, out, SparkScore.Options.DEFAULT, s -> {}))
        .isInstanceOf(DataFormatException.class).hasMessage(expected);
    assertThat(out).doesNotExist();
    // lenient: the line is skipped and counted, the rest scored
    List<String> log = new ArrayList<>();
    SparkScore.Result r = SparkScore.score(sc, runDir, bad, out, new SparkScore.Options(true, false, 0), log::add);
    assertThat(r.impressions()).isEqualTo(lines.size() - 1);
    assertThat(String.join("\n", log)).contains("dropped 1 bad Time");
    assertThat(out.resolve(SparkScore.VECTORS)).doesNotExist();
  }
}
