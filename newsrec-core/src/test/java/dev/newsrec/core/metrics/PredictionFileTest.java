package dev.newsrec.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.newsrec.core.UserException;
import dev.newsrec.core.data.DataFormatException;
import dev.newsrec.core.data.Impressions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionFileTest {
  @TempDir Path dir;

  /** Random labelled impressions with ids "imp-1", "imp-2", ... and their flat scores. */
  static Impressions randomTruth(Random rnd, int count, double[][] scoresOut) {
    Impressions.Builder b = Impressions.builder(null);
    int total = 0;
    int[][] sizes = new int[count][];
    double[] scores = new double[count * 300];
    for (int i = 0; i < count; i++) {
      MetricsAccumulatorTest.Impression imp = MetricsAccumulatorTest.randomImpression(rnd);
      int n = imp.scores().length;
      int[] cands = new int[n];
      b.add("imp-" + (i + 1), "U" + rnd.nextInt(50), 0, new int[0], cands, imp.labels());
      System.arraycopy(imp.scores(), 0, scores, total, n);
      total += n;
      sizes[i] = cands;
    }
    scoresOut[0] = java.util.Arrays.copyOf(scores, total);
    return b.build();
  }

  @Test
  void writesTheLeaderboardFormat() throws IOException {
    Impressions truth = Impressions.builder(null)
        .add("7", "U1", 0, new int[0], new int[3], new byte[] {0, 1, 0})
        .add("9", "U2", 0, new int[0], new int[2], new byte[] {1, 0})
        .build();
    // impression 7: scores 0.2 0.9 0.2 -> ranks 2 1 3 (the tie goes to the earlier candidate)
    Prediction p = Prediction.fromScores(truth, new double[] {0.2, 0.9, 0.2, -1, 5});
    Path txt = dir.resolve("prediction.txt");
    PredictionFile.write(txt, p);
    assertThat(Files.readString(txt)).isEqualTo("7 [2,1,3]\n9 [2,1]\n");
    Path zip = dir.resolve("out/prediction.zip");
    PredictionFile.write(zip, p);
    try (ZipFile z = new ZipFile(zip.toFile())) {
      ZipEntry e = z.getEntry("prediction.txt");
      assertThat(e).isNotNull();
      assertThat(new String(z.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("7 [2,1,3]\n9 [2,1]\n");
    }
    assertThat(Files.list(dir).map(f -> f.getFileName().toString())).doesNotContain(
        ".prediction.txt.tmp");
  }

  @Test
  void roundTripTxtAndZipAndMetricsFromRanksEqualMetricsFromScores() {
    Random rnd = new Random(11);
    double[][] scores = new double[1][];
    Impressions truth = randomTruth(rnd, 1200, scores);
    Prediction p = Prediction.fromScores(truth, scores[0]);
    MetricsResult fromScores = Metrics.evaluate(truth, scores[0]);
    for (String name : new String[] {"prediction.txt", "prediction.zip", "PRED.ZIP", "p.tsv"}) {
      Path f = dir.resolve(name);
      PredictionFile.write(f, p);
      Prediction back = PredictionFile.read(f);
      assertThat(back.size()).isEqualTo(truth.size());
      assertThat(back.flatRanks()).isEqualTo(p.flatRanks());
      for (int i = 0; i < back.size(); i++) {
        assertThat(back.impressionId(i)).isEqualTo(truth.impressionId(i));
        assertThat(back.line(i)).isEqualTo(i + 1);
      }
      MetricsResult fromFile = Metrics.evaluate(truth, back);
      assertThat(fromFile.impressions()).isEqualTo(fromScores.impressions());
      assertThat(fromFile.skippedAllNegative()).isEqualTo(fromScores.skippedAllNegative());
      assertThat(fromFile.skippedAllPositive()).isEqualTo(fromScores.skippedAllPositive());
      // MRR and nDCG keep the tie order; AUC differs because ranks break the score ties
      assertThat(fromFile.mrr()).isCloseTo(fromScores.mrr(), within(1e-12));
      assertThat(fromFile.ndcg5()).isCloseTo(fromScores.ndcg5(), within(1e-12));
      assertThat(fromFile.ndcg10()).isCloseTo(fromScores.ndcg10(), within(1e-12));
    }
    assertThat(Prediction.fromScores(truth, toFloat(scores[0])).flatRanks())
        .isEqualTo(p.flatRanks());
  }

  private static float[] toFloat(double[] d) {
    float[] f = new float[d.length];
    for (int k = 0; k < d.length; k++) f[k] = (float) d[k];
    return f;
  }

  @Test
  void toleratesBlankLinesCarriageReturnsAndSpaces() throws IOException {
    Path f = dir.resolve("prediction.txt");
    Files.writeString(f, "\uFEFF1 [1,2]\r\n\n2\t[ 2, 1 ,3 ]  \r\n\n");
    Prediction p = PredictionFile.read(f);
    assertThat(p.size()).isEqualTo(2);
    assertThat(p.impressionId(0)).isEqualTo("1");
    assertThat(p.impressionId(1)).isEqualTo("2");
    assertThat(p.line(1)).isEqualTo(3);
    assertThat(p.rank(1, 0)).isEqualTo(2);
    assertThat(p.candidateCount(1)).isEqualTo(3);
  }

  @Test
  void readsAZipWhoseOnlyFileHasAnotherName() throws IOException {
    Path f = dir.resolve("sub.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
      z.putNextEntry(new ZipEntry("answers.txt"));
      z.write("5 [1]\n".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(PredictionFile.read(f).impressionId(0)).isEqualTo("5");
  }

  @Test
  void readsLinesLongerThanTheBuffer() throws IOException {
    int n = 30000;
    StringBuilder sb = new StringBuilder("big [");
    for (int j = 0; j < n; j++) sb.append(j == 0 ? "" : ",").append(n - j);
    Path f = dir.resolve("prediction.txt");
    Files.writeString(f, "a [1]\n" + sb + "]\nc [2,1]");
    Prediction p = PredictionFile.read(f);
    assertThat(p.size()).isEqualTo(3);
    assertThat(p.candidateCount(1)).isEqualTo(n);
    assertThat(p.rank(1, n - 1)).isEqualTo(1);
    assertThat(p.rank(2, 0)).isEqualTo(2);
  }

  private void assertBad(String content, int line, String field, String problem) throws IOException {
    Path f = dir.resolve("bad.txt");
    Files.writeString(f, content);
    assertThatThrownBy(() -> PredictionFile.read(f))
        .isInstanceOfSatisfying(DataFormatException.class, e -> {
          assertThat(e.file()).isEqualTo(f);
          assertThat(e.line()).isEqualTo(line);
          assertThat(e.field()).isEqualTo(field);
        })
        .hasMessageContaining("bad.txt:" + line + ": field " + field)
        .hasMessageContaining(problem);
  }

  @Test
  void badLinesNameFileLineAndField() throws IOException {
    assertBad("1 [1,2]\n2 [1,1]\n", 2, "ranks", "rank 1 appears twice");
    assertBad("1 [1,3]\n", 1, "ranks", "outside 1..2");
    assertBad("1 [0,1]\n", 1, "ranks", "outside 1..2");
    assertBad("1 [1,2]\n2 1,2]\n", 2, "ranks", "expected '['");
    assertBad("1 [1,2]\n\n3 [1,2\n", 3, "ranks", "missing ']'");
    assertBad("1\n", 1, "ranks", "expected '['");
    assertBad("1 [1,x]\n", 1, "ranks", "found 'x'");
    assertBad("1 [1,,2]\n", 1, "ranks", "expected a rank at position 2");
    assertBad("1 [1 2]\n", 1, "ranks", "expected ',' or ']'");
    assertBad("1 []\n", 1, "ranks", "no ranks");
    assertBad("[1,2]\n", 1, "ImpressionID", "missing impression id");
    assertBad("1 [1,99999999999999]\n", 1, "ranks", "outside 1..2");
  }

  @Test
  void zipErrorsNameTheEntryAndMissingFilesAreUserErrors() throws IOException {
    Path f = dir.resolve("prediction.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
      z.putNextEntry(new ZipEntry("prediction.txt"));
      z.write("1 [2,2]\n".getBytes(StandardCharsets.UTF_8));
    }
    assertThatThrownBy(() -> PredictionFile.read(f)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("prediction.zip!/prediction.txt:1: field ranks");
    Path empty = dir.resolve("empty.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(empty))) {
      z.putNextEntry(new ZipEntry("a.txt"));
      z.closeEntry();
      z.putNextEntry(new ZipEntry("b.txt"));
    }
    assertThatThrownBy(() -> PredictionFile.read(empty)).isInstanceOf(UserException.class)
        .hasMessageContaining("holds no prediction.txt");
    assertThatThrownBy(() -> PredictionFile.read(dir.resolve("nope.txt")))
        .isInstanceOf(UserException.class).hasMessageContaining("does not exist");
  }

  private Impressions threeImpressions() {
    return Impressions.builder(null)
        .add("10", "U1", 0, new int[0], new int[2], new byte[] {0, 1})
        .add("11", "U1", 0, new int[0], new int[3], new byte[] {0, 1, 0})
        .add("12", "U2", 0, new int[0], new int[2], new byte[] {1, 0})
        .build();
  }

  private void assertMismatch(String content, int line, String field, String... parts)
      throws IOException {
    Path f = dir.resolve("prediction.txt");
    Files.writeString(f, content);
    Prediction p = PredictionFile.read(f);
    assertThatThrownBy(() -> Metrics.evaluate(threeImpressions(), p))
        .isInstanceOfSatisfying(DataFormatException.class, e -> {
          assertThat(e.file()).isEqualTo(f);
          assertThat(e.line()).isEqualTo(line);
          assertThat(e.field()).isEqualTo(field);
        })
        .hasMessageContaining(parts[0]).hasMessageContaining(parts[parts.length - 1]);
  }

  @Test
  void predictionMustMatchTheTruth() throws IOException {
    assertMismatch("10 [1,2]\n13 [1,2,3]\n12 [1,2]\n", 2, "ImpressionID",
        "expected impression id 11", "found 13");
    assertMismatch("10 [1,2]\n11 [1,2]\n12 [1,2]\n", 2, "ranks",
        "impression 11: 2 ranks for 3 candidates", "3 candidates");
    assertMismatch("10 [1,2]\n11 [1,2,3]\n", 3, "ImpressionID",
        "ends after 2 impressions", "first missing impression id 12");
    assertMismatch("10 [1,2]\n11 [1,2,3]\n12 [1,2]\n14 [1]\n", 4, "ImpressionID",
        "impression id 14", "not in the truth");
    assertMismatch("11 [1,2,3]\n10 [1,2]\n12 [1,2]\n", 1, "ImpressionID",
        "expected impression id 10", "found 11");
  }

  @Test
  void aRepeatedLineIsReportedAsRepeatedWithBothLines() throws IOException {
    assertMismatch("10 [2,1]\n11 [1,3,2]\n11 [1,3,2]\n12 [2,1]\n", 3, "ImpressionID",
        "impression id 11 is repeated: lines 2 and 3", "lines 2 and 3");
    assertMismatch("10 [2,1]\n11 [1,3,2]\n12 [2,1]\n\n12 [2,1]\n", 5, "ImpressionID",
        "impression id 12 is repeated: lines 3 and 5", "lines 3 and 5");
  }

  @Test
  void aRankTooFewOrTooManyIsAWrongCountNotABadRank() throws IOException {
    Path f = dir.resolve("prediction.txt");
    // impression 11 has 3 candidates; one rank is missing, so "3" is out of 1..2 as a permutation
    Files.writeString(f, "10 [2,1]\n11 [1,3]\n12 [2,1]\n");
    assertThatThrownBy(() -> Metrics.evaluate(threeImpressions(), PredictionFile.readToMatch(f)))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("prediction.txt:2: field ranks: impression 11: 2 ranks for 3 candidates");
    Files.writeString(f, "10 [3,1,2]\n11 [1,3,2]\n12 [2,1]\n");
    assertThatThrownBy(() -> Metrics.evaluate(threeImpressions(), PredictionFile.readToMatch(f)))
        .hasMessageContaining(":1: field ranks: impression 10: 3 ranks for 2 candidates");
    // with the right count, a bad permutation is still reported as such, at its line
    Files.writeString(f, "10 [2,1]\n11 [1,1,2]\n12 [2,1]\n");
    assertThatThrownBy(() -> Metrics.evaluate(threeImpressions(), PredictionFile.readToMatch(f)))
        .hasMessageContaining(":2: field ranks: impression 11: rank 1 appears twice");
    // an earlier wrong id is the first cause
    Files.writeString(f, "10 [2,1]\n13 [1,1,2]\n12 [2,1]\n");
    assertThatThrownBy(() -> Metrics.evaluate(threeImpressions(), PredictionFile.readToMatch(f)))
        .hasMessageContaining("expected impression id 11");
  }

  @Test
  void aDirectoryIsSaidToBeADirectory() throws IOException {
    Path d = Files.createDirectories(dir.resolve("prediction.txt"));
    assertThatThrownBy(() -> PredictionFile.read(d)).isInstanceOf(UserException.class)
        .hasMessageContaining("is a directory");
  }

  @Test
  void zipOutputDependsOnTheRanksOnly() throws IOException {
    Prediction p = Prediction.builder(null).add("1", new int[] {2, 1}, 0, 2).build();
    Path a = dir.resolve("a.zip");
    PredictionFile.write(a, p);
    try (ZipFile z = new ZipFile(a.toFile())) {
      // a fixed time stamp, not the time of writing
      assertThat(z.getEntry("prediction.txt").getTimeLocal()).isEqualTo(PredictionWriter.ZIP_TIME);
    }
    Path b = dir.resolve("b.zip");
    PredictionFile.write(b, p);
    assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));
  }

  @Test
  void writingThroughASymbolicLinkKeepsTheLink() throws IOException {
    Path real = Files.writeString(dir.resolve("real.txt"), "old\n");
    Path link = Files.createSymbolicLink(dir.resolve("prediction.txt"), real);
    PredictionFile.write(link, Prediction.builder(null).add("1", new int[] {2, 1}, 0, 2).build());
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readString(real)).isEqualTo("1 [2,1]\n");
  }

  @Test
  void matchingPredictionGivesHandComputedMetrics() throws IOException {
    // 10: clicked candidate ranked 1 -> AUC 1, MRR 1, nDCG 1
    // 11: clicked candidate ranked 3 of 3 -> AUC 0, MRR 1/3, nDCG 1/log2(4) = 1/2
    // 12: clicked candidate ranked 2 of 2 -> AUC 0, MRR 1/2, nDCG 1/log2(3)
    Path f = dir.resolve("prediction.txt");
    Files.writeString(f, "10 [2,1]\n11 [1,3,2]\n12 [2,1]\n");
    MetricsResult r = Metrics.evaluate(threeImpressions(), PredictionFile.read(f));
    assertThat(r.auc()).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(r.mrr()).isCloseTo((1 + 1.0 / 3 + 0.5) / 3, within(1e-12));
    assertThat(r.ndcg10()).isCloseTo((1 + 0.5 + Math.log(2) / Math.log(3)) / 3, within(1e-12));
    assertThat(r.impressions()).isEqualTo(3);
  }

  @Test
  void writerIsAtomicAndValidates() throws IOException {
    Path f = dir.resolve("prediction.txt");
    Files.writeString(f, "old\n");
    try (PredictionWriter w = PredictionWriter.open(f)) {
      w.add("1", new float[] {0.5f, 0.7f}, 0, 2);
      assertThatThrownBy(() -> w.addRanks("2", new int[] {1, 3}, 0, 2))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("impression 2");
      assertThatThrownBy(() -> w.add("has space", new double[] {1}, 0, 1))
          .isInstanceOf(IllegalArgumentException.class);
      // no commit: abandoned
    }
    assertThat(Files.readString(f)).isEqualTo("old\n");
    assertThat(Files.exists(dir.resolve(".prediction.txt.tmp"))).isFalse();
    try (PredictionWriter w = PredictionWriter.open(f)) {
      w.add("1", new float[] {0.5f, 0.7f}, 0, 2);
      assertThat(w.lines()).isEqualTo(1);
      w.commit();
    }
    assertThat(Files.readString(f)).isEqualTo("1 [2,1]\n");
  }

  @Test
  void evaluatingAgainstUnlabelledTruthIsAUserError() throws IOException {
    Impressions test = Impressions.builder(null)
        .add("1", "U", 0, new int[0], new int[2], null).build();
    assertThatThrownBy(() -> Metrics.evaluate(test, new double[] {1, 2}))
        .isInstanceOf(UserException.class).hasMessageContaining("unlabelled");
    Path f = dir.resolve("p.txt");
    Files.writeString(f, "1 [1,2]\n");
    assertThatThrownBy(() -> Metrics.evaluate(test, PredictionFile.read(f)))
        .isInstanceOf(UserException.class);
  }

  @Test
  void parallelEvaluationEqualsOneSequentialAccumulator() {
    Random rnd = new Random(5);
    double[][] scores = new double[1][];
    Impressions truth = randomTruth(rnd, 3 * Metrics.CHUNK + 17, scores);
    MetricsAccumulator seq = new MetricsAccumulator();
    for (int i = 0; i < truth.size(); i++) {
      seq.add(scores[0], truth.offset(i), truth.flatLabels(), truth.offset(i),
          truth.candidateCount(i));
    }
    MetricsResult par = Metrics.evaluate(truth, scores[0]);
    MetricsResult s = seq.result();
    assertThat(par.impressions()).isEqualTo(s.impressions());
    assertThat(par.skippedAllNegative()).isEqualTo(s.skippedAllNegative());
    assertThat(par.auc()).isCloseTo(s.auc(), within(1e-12));
    assertThat(par.mrr()).isCloseTo(s.mrr(), within(1e-12));
    assertThat(par.ndcg5()).isCloseTo(s.ndcg5(), within(1e-12));
    assertThat(par.ndcg10()).isCloseTo(s.ndcg10(), within(1e-12));
    assertThat(Metrics.evaluate(truth, scores[0])).isEqualTo(par);
    assertThatThrownBy(() -> Metrics.evaluate(truth, new double[3]))
        .isInstanceOf(IllegalArgumentException.class);
  }

}
