package dev.newsrec.core.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.newsrec.core.UserException;
import dev.newsrec.core.data.DataFormatException;
import dev.newsrec.core.data.EntityEmbeddings;
import dev.newsrec.core.data.Entity;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.News;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.core.mind.HistoriesFile;
import dev.newsrec.core.mind.MindReader;
import dev.newsrec.core.mind.ReadOptions;
import dev.newsrec.core.mind.ReadReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticWorldTest {
  static final SynthConfig TINY = SynthConfig.preset("tiny").withSeed(11);
  static SyntheticWorld world;
  @TempDir static Path shared;
  static Path written;

  @BeforeAll
  static void writeTiny() {
    world = SyntheticWorld.generate(TINY);
    written = shared.resolve("tiny");
    world.write(written, line -> {});
  }

  @Test
  void sameSeedGivesByteIdenticalFilesAndAnotherSeedDoesNot(@TempDir Path dir) throws IOException {
    Path again = dir.resolve("again");
    SyntheticWorld.generate(TINY).write(again, line -> {});
    Path other = dir.resolve("other");
    SyntheticWorld.generate(TINY.withSeed(12)).write(other, line -> {});
    List<Path> files = files(written);
    assertThat(files).extracting(p -> written.relativize(p).toString()).containsExactlyInAnyOrder(
        "train/news.tsv", "train/behaviors.tsv", "train/oracle.tsv", "train/entity_embedding.vec",
        "train/relation_embedding.vec", "dev/news.tsv", "dev/behaviors.tsv", "dev/oracle.tsv",
        "dev/entity_embedding.vec", "dev/relation_embedding.vec", "synth.json");
    for (Path f : files) {
      Path rel = written.relativize(f);
      assertThat(Files.readAllBytes(again.resolve(rel))).as(rel.toString())
          .isEqualTo(Files.readAllBytes(f));
    }
    assertThat(Files.readAllBytes(other.resolve("train/behaviors.tsv")))
        .isNotEqualTo(Files.readAllBytes(written.resolve("train/behaviors.tsv")));
  }

  @Test
  void synthJsonSaysHowTheWorldWasMade() throws IOException {
    var json = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(written.resolve(SyntheticWorld.DESCRIPTION_FILE).toFile());
    assertThat(json.at("/config/seed").asLong()).isEqualTo(11);
    assertThat(json.at("/config/preset").asText()).isEqualTo("tiny");
    assertThat(json.at("/config/entityWeight").asDouble()).isEqualTo(0.5);
    assertThat(json.at("/model/sharpness").asDouble()).isPositive();
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().treeToValue(json.get("config"),
        SynthConfig.class)).isEqualTo(TINY);
  }

  @Test
  void splitsReadBackStrictlyAndMatchTheWorldInMemory() {
    for (SyntheticSplit split : List.of(world.train(), world.dev())) {
      Path folder = written.resolve(split.name());
      ReadReport report = new ReadReport();
      NewsCorpus corpus = MindReader.readNews(folder.resolve("news.tsv"), ReadOptions.STRICT, report);
      Impressions read = MindReader.readBehaviors(folder.resolve("behaviors.tsv"), corpus,
          ReadOptions.STRICT, report);
      assertThat(report.skippedLines()).isZero();
      assertThat(report.unknownHistoryRefs()).as("every history news is in news.tsv").isZero();
      Impressions mem = split.impressions();
      assertThat(read.size()).isEqualTo(mem.size());
      assertThat(read.totalCandidates()).isEqualTo(mem.totalCandidates());
      for (int i = 0; i < mem.size(); i++) {
        assertThat(read.impressionId(i)).isEqualTo(mem.impressionId(i)).isEqualTo(Integer.toString(i + 1));
        assertThat(read.userId(i)).isEqualTo(mem.userId(i));
        assertThat(read.time(i)).isEqualTo(mem.time(i));
        assertThat(ids(read, read.history(i))).isEqualTo(ids(mem, mem.history(i)));
        for (int j = 0; j < mem.candidateCount(i); j++) {
          assertThat(read.corpus().id(read.candidate(i, j))).isEqualTo(mem.corpus().id(mem.candidate(i, j)));
          assertThat(read.label(i, j)).isEqualTo(mem.label(i, j));
        }
      }
      // The oracle file lines up with the candidates and equals the in-memory probabilities.
      assertThat(OracleFile.read(folder.resolve(OracleFile.FILE_NAME), read)).containsExactly(split.oracle());
      // Every title entity has a vector; its offset points at its label in the title.
      EntityEmbeddings vectors = MindReader.readVectors(folder.resolve("entity_embedding.vec"),
          ReadOptions.STRICT, new ReadReport());
      assertThat(vectors.dim()).isEqualTo(100);
      assertThat(MindReader.readVectors(folder.resolve("relation_embedding.vec"), ReadOptions.STRICT,
          new ReadReport()).size()).isPositive();
      for (News n : corpus.all()) {
        assertThat(n.title().split(" ").length).isGreaterThanOrEqualTo(3);
        assertThat(n.abstractText()).isNotEmpty();
        for (Entity e : n.titleEntities()) {
          assertThat(vectors.indexOf(e.wikidataId())).as(e.wikidataId()).isNotNegative();
          int at = e.occurrenceOffsets().get(0);
          assertThat(n.title().substring(at)).startsWith(e.label());
          assertThat(e.wikidataId()).matches("Q[0-9]+");
        }
        for (Entity e : n.abstractEntities()) {
          assertThat(n.abstractText().substring(e.occurrenceOffsets().get(0))).startsWith(e.label());
        }
      }
    }
  }

  private static SyntheticWorld small;

  /** The small preset with seed 7, shared by the tests that need MIND-like proportions. */
  private static synchronized SyntheticWorld small() {
    if (small == null) small = SyntheticWorld.generate(SynthConfig.preset("small").withSeed(7));
    return small;
  }

  @Test
  void timesFollowMindAndDevCandidatesAreMostlyFresh() {
    Impressions train = small().train().impressions();
    Impressions dev = small().dev().impressions();
    long day = 86_400;
    long start = SyntheticWorld.START;
    Set<Integer> shownInTrain = new HashSet<>();
    for (int i = 0; i < train.size(); i++) {
      assertThat(train.time(i)).isBetween(start, start + 6 * day - 1);
      for (int j = 0; j < train.candidateCount(i); j++) shownInTrain.add(train.candidate(i, j));
    }
    int fresh = 0;
    for (int i = 0; i < dev.size(); i++) {
      assertThat(dev.time(i)).isBetween(start + 6 * day, start + 7 * day - 1);
      for (int j = 0; j < dev.candidateCount(i); j++) if (!shownInTrain.contains(dev.candidate(i, j))) fresh++;
    }
    double freshShare = fresh / (double) dev.totalCandidates();
    System.out.printf("small: %.1f%% of dev candidates unseen in train%n", 100 * freshShare);
    assertThat(freshShare).as("dev candidates unseen in train").isBetween(0.5, 0.97);
  }

  @Test
  void mostImpressionsHaveAClickAndAFewNone() {
    SyntheticWorld small = SyntheticWorld.generate(SynthConfig.preset("tiny").withSeed(3)
        .withSizes(300, 100, 3000, 10));
    Impressions imps = small.train().impressions();
    int none = 0;
    int empty = 0;
    for (int i = 0; i < imps.size(); i++) {
      int clicks = 0;
      for (int j = 0; j < imps.candidateCount(i); j++) clicks += imps.label(i, j);
      if (clicks == 0) none++;
      if (imps.history(i).length == 0) empty++;
    }
    assertThat(none).isPositive().isLessThan(imps.size() / 10);
    assertThat(empty).as("impressions of users with an empty history").isPositive();
  }

  @Test
  void knobsShapeTitlesHistoriesAndCandidates() {
    // Enough news that long histories need not repeat a news.
    SynthConfig base = TINY.withSizes(3000, 200, 800, 100);
    SyntheticWorld shortOnes = SyntheticWorld.generate(base.withTitleLength(6).withHistoryLength(5)
        .withCandidates(5));
    SyntheticWorld longOnes = SyntheticWorld.generate(base.withTitleLength(16).withHistoryLength(40)
        .withCandidates(40));
    assertThat(meanTitleWords(shortOnes)).isBetween(5.0, 7.5);
    assertThat(meanTitleWords(longOnes)).isBetween(14.0, 18.0);
    assertThat(meanHistory(shortOnes.train().impressions())).isLessThan(8);
    assertThat(meanHistory(longOnes.train().impressions())).isGreaterThan(25);
    assertThat(meanCandidates(shortOnes.train().impressions())).isBetween(4.0, 6.5);
    assertThat(meanCandidates(longOnes.train().impressions())).isBetween(30.0, 45.0);
    SyntheticWorld sized = SyntheticWorld.generate(base.withSizes(123, 45, 67, 8));
    assertThat(sized.corpus().size()).isEqualTo(123);
    assertThat(sized.train().impressions().size()).isEqualTo(67);
    assertThat(sized.dev().impressions().size()).isEqualTo(8);
    assertThat(sized.train().impressions().userCount()).isLessThanOrEqualTo(45);
    assertThat(SyntheticWorld.generate(base.withAbstracts(false)).corpus().get(0).abstractText()).isEmpty();
  }

  @Test
  void unlabelledUsersHaveHistoriesOnlyAndAreWrittenToHistoriesTsv(@TempDir Path dir) {
    SyntheticWorld w = SyntheticWorld.generate(TINY.withSizes(300, 400, 600, 200).withUnlabelledUsers(0.3));
    HistoriesFile.Histories h = w.unlabelledHistories();
    assertThat(h.size()).isBetween(80, 160);
    Set<String> withImpressions = new HashSet<>();
    for (Impressions imps : List.of(w.train().impressions(), w.dev().impressions())) {
      for (int i = 0; i < imps.size(); i++) withImpressions.add(imps.userId(i));
    }
    assertThat(h.userIds()).doesNotContainAnyElementsOf(withImpressions);
    w.write(dir.resolve("w"), line -> {});
    Path train = dir.resolve("w/train");
    ReadReport report = new ReadReport();
    NewsCorpus corpus = MindReader.readNews(train.resolve("news.tsv"), ReadOptions.STRICT, report);
    HistoriesFile.Histories read = HistoriesFile.read(train.resolve(HistoriesFile.FILE_NAME), corpus,
        ReadOptions.STRICT, report);
    assertThat(report.unknownHistoryRefs()).isZero();
    assertThat(read.userIds()).isEqualTo(h.userIds());
    for (int k = 0; k < h.size(); k++) {
      assertThat(ids(corpus, read.histories().get(k))).isEqualTo(ids(w.corpus(), h.histories().get(k)));
    }
    assertThat(dir.resolve("w/dev/" + HistoriesFile.FILE_NAME)).doesNotExist();
    assertThat(written.resolve("train/" + HistoriesFile.FILE_NAME)).doesNotExist();
  }

  @Test
  void entityWeightDecidesWhetherEntitiesOrWordsPredictClicks() {
    SynthConfig small = SynthConfig.preset("small").withSeed(5);
    double[] wordsOnly = new double[2];
    double[] entitiesOnly = new double[2];
    for (int k = 0; k < 2; k++) {
      SyntheticWorld w = SyntheticWorld.generate(small.withEntityWeight(k));
      Impressions dev = w.dev().impressions();
      wordsOnly[k] = Scorers.meanAuc(dev, Scorers.content(dev, Scorers.Parts.WORDS));
      entitiesOnly[k] = Scorers.meanAuc(dev, Scorers.content(dev, Scorers.Parts.ENTITIES, w.entityVectors()));
    }
    System.out.printf("entity weight 0: words %.4f entities %.4f; entity weight 1: words %.4f entities %.4f%n",
        wordsOnly[0], entitiesOnly[0], wordsOnly[1], entitiesOnly[1]);
    assertThat(wordsOnly[0]).isGreaterThan(entitiesOnly[0] + 0.05);
    // At 1 words still tell the category (whose term counts at any weight): entities draw level.
    assertThat(entitiesOnly[1]).isGreaterThan(wordsOnly[1] - 0.02);
    assertThat(wordsOnly[0] - wordsOnly[1]).isGreaterThan(0.02);
    assertThat(entitiesOnly[1] - entitiesOnly[0]).isGreaterThan(0.01);
    // The advantage of entities over words moves clearly with the knob.
    assertThat((entitiesOnly[1] - wordsOnly[1]) - (entitiesOnly[0] - wordsOnly[0])).isGreaterThan(0.05);
  }

  @Test
  void entityVectorsAreNearerWithinATopicThanAcross() {
    var vectors = world.entityVectors();
    double within = 0;
    double across = 0;
    int n = 0;
    for (int e = 0; e + 96 < 384; e++) {
      // e and e + 96 share topic and cluster (96 = topics x clusters); e and e + 5 do not.
      within += cosine(vectors.get(SyntheticEntities.wikidataId(e)), vectors.get(SyntheticEntities.wikidataId(e + 96)));
      across += cosine(vectors.get(SyntheticEntities.wikidataId(e)), vectors.get(SyntheticEntities.wikidataId(e + 5)));
      n++;
    }
    assertThat(within / n).isGreaterThan(across / n + 0.3);
  }

  /** The calibration promise: popularity closes under half the gap to the oracle, content most. */
  @Test
  void popularityIsWeakAndContentIsLearnableOnSmall() {
    SyntheticWorld w = small();
    Impressions dev = w.dev().impressions();
    double oracle = Scorers.meanAuc(dev, w.dev().oracle());
    double random = Scorers.meanAuc(dev, Scorers.random(dev, 1));
    double popularity = Scorers.meanAuc(dev, Scorers.popularity(w.train().impressions(), dev));
    double content = Scorers.meanAuc(dev, Scorers.content(dev, Scorers.Parts.ALL, w.entityVectors()));
    System.out.printf("small seed 7 dev AUC: random %.4f popularity %.4f content %.4f oracle %.4f%n",
        random, popularity, content, oracle);
    assertThat(oracle).isGreaterThan(0.75);
    assertThat(Math.abs(random - 0.5)).isLessThan(0.02);
    assertThat((popularity - 0.5) / (oracle - 0.5)).isLessThan(0.5);
    assertThat((content - 0.5) / (oracle - 0.5)).isGreaterThan(0.5);
  }

  /**
   * Histories reveal most of the interests that drive clicks, so a model that reads them can close
   * most of the random-to-oracle gap: estimating the preferences from the hidden labels of the
   * history's news ranks below the true interests, yet well above the bag-of-features content
   * scorer that has to guess those labels from words.
   */
  @Test
  void historiesRevealMostOfTheInterests() {
    SyntheticWorld w = small();
    Impressions dev = w.dev().impressions();
    double oracle = Scorers.meanAuc(dev, w.dev().oracle());
    double trueInterests = Scorers.meanAuc(dev, Scorers.trueInterests(w, dev));
    double history = Scorers.meanAuc(dev, Scorers.historyLabels(w, dev, 0.08));
    double words = Scorers.meanAuc(dev, Scorers.content(dev, Scorers.Parts.WORDS));
    System.out.printf("small seed 7 dev AUC: words %.4f history-labels %.4f true interests %.4f oracle %.4f%n",
        words, history, trueInterests, oracle);
    assertThat(history).isGreaterThan(words + 0.03).isLessThan(trueInterests);
    assertThat((history - 0.5) / (oracle - 0.5)).isGreaterThan(0.8);
    assertThat((trueInterests - 0.5) / (oracle - 0.5)).isGreaterThan(0.85);
  }

  @Test
  void oracleFileErrorsNameFileLineAndField(@TempDir Path dir) throws IOException {
    Impressions dev = world.dev().impressions();
    Path bad = dir.resolve("oracle.tsv");
    List<String> lines = Files.readAllLines(written.resolve("dev/oracle.tsv"));
    lines.set(2, lines.get(2) + " 0.5");
    Files.write(bad, lines);
    assertThatThrownBy(() -> OracleFile.read(bad, dev)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("oracle.tsv:3: field Probabilities");
    lines = Files.readAllLines(written.resolve("dev/oracle.tsv"));
    lines.set(0, lines.get(0).replaceFirst("\t0\\.", "\tx."));
    Files.write(bad, lines);
    assertThatThrownBy(() -> OracleFile.read(bad, dev)).hasMessageContaining(":1: field Probabilities")
        .hasMessageContaining("not a number");
    lines = Files.readAllLines(written.resolve("dev/oracle.tsv"));
    Files.write(bad, lines.subList(0, lines.size() - 1));
    assertThatThrownBy(() -> OracleFile.read(bad, dev)).hasMessageContaining("no line for impression");
  }

  @Test
  void badKnobsAreUserErrors() {
    assertThatThrownBy(() -> TINY.withEntityWeight(1.5)).isInstanceOf(UserException.class)
        .hasMessageContaining("entity weight");
    assertThatThrownBy(() -> SynthConfig.preset("huge")).isInstanceOf(UserException.class)
        .hasMessageContaining("tiny");
  }

  private static List<String> ids(Impressions imps, int[] news) { return ids(imps.corpus(), news); }

  private static List<String> ids(NewsCorpus corpus, int[] news) {
    return java.util.Arrays.stream(news).mapToObj(corpus::id).toList();
  }

  private static double meanTitleWords(SyntheticWorld w) {
    return w.corpus().all().stream().mapToInt(n -> n.title().split(" ").length).average().orElse(0);
  }

  private static double meanHistory(Impressions imps) {
    Set<String> seen = new HashSet<>();
    long sum = 0;
    for (int i = 0; i < imps.size(); i++) {
      if (seen.add(imps.userId(i))) sum += imps.history(i).length;
    }
    return sum / (double) seen.size();
  }

  private static double meanCandidates(Impressions imps) {
    return imps.totalCandidates() / (double) imps.size();
  }

  private static double cosine(float[] a, float[] b) {
    double ab = 0, aa = 0, bb = 0;
    for (int k = 0; k < a.length; k++) {
      ab += a[k] * b[k];
      aa += a[k] * a[k];
      bb += b[k] * b[k];
    }
    return ab / Math.sqrt(aa * bb);
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
