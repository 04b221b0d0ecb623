package dev.newsrec.core.mind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.newsrec.core.data.DataFormatException;
import dev.newsrec.core.data.Entity;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.News;
import dev.newsrec.core.data.NewsCorpus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Adressa converter on a hand-written week of raw events (src/test/resources/adressa/one_week):
 * 18 events of 4 users over 10 articles, with a front-page view, an article without a title, a
 * broken line (day 4, line 2), a repeated read and a 25-word title.
 */
class AdressaConverterTest {
  static final Path RAW = Path.of("src/test/resources/adressa/one_week");

  @TempDir Path tmp;

  static AdressaConverter.Options options(long seed, boolean lenient) {
    return new AdressaConverter.Options(seed, 3, 2, 5, 20, lenient);
  }

  @Test
  void strictStopsAtTheBrokenLineWithFileAndLineAndWritesNothing() {
    Path out = tmp.resolve("out");
    assertThatThrownBy(() -> AdressaConverter.convert(RAW, out, options(1, false), l -> {}))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("20170104:2: not a JSON object");
    assertThat(out).doesNotExist();
    assertThat(tmp.resolve(".out.tmp")).doesNotExist();
  }

  @Test
  void aBadFieldIsNamed() throws Exception {
    Path raw = Files.createDirectories(tmp.resolve("raw"));
    Files.writeString(raw.resolve("day1"), "{\"userId\": \"u\", \"id\": \"n1\", \"title\": \"T\", \"time\": 5}\n");
    Files.writeString(raw.resolve("day2"), "{\"userId\": \"u\", \"id\": \"n2\", \"title\": \"T\", \"time\": \"soon\"}\n");
    assertThatThrownBy(() -> AdressaConverter.convert(raw, tmp.resolve("o"), options(1, false), l -> {}))
        .hasMessageContaining("day2:1: field time: expected epoch seconds");
    Files.writeString(raw.resolve("day2"), "\n{\"id\": \"n2\", \"title\": \"T\", \"time\": 9}\n");
    assertThatThrownBy(() -> AdressaConverter.convert(raw, tmp.resolve("o"), options(1, false), l -> {}))
        .hasMessageContaining("day2:2: field userId: missing");
    Files.delete(raw.resolve("day2"));
    assertThatThrownBy(() -> AdressaConverter.convert(raw, tmp.resolve("o"), options(1, false), l -> {}))
        .hasMessageContaining("found 1 day file(s), need at least 2");
  }

  @Test
  void theWeekBecomesMindFoldersAsTheProtocolSays() throws Exception {
    Path out = tmp.resolve("out");
    List<String> progress = new ArrayList<>();
    AdressaConverter.Summary s = AdressaConverter.convert(RAW, out, options(7, true), progress::add);
    assertThat(progress).anyMatch(l -> l.startsWith("20170107 (day 7)"));
    assertThat(s.events()).isEqualTo(18);
    assertThat(s.malformed()).isEqualTo(1);
    assertThat(s.malformedExamples()).singleElement().asString().contains("20170104:2");
    assertThat(s.withoutIdOrTitle()).isEqualTo(3); // two front-page views, one read without a title
    assertThat(s.articleEvents()).isEqualTo(14);
    assertThat(s.news()).isEqualTo(10);
    assertThat(s.usersRead()).isEqualTo(4);
    assertThat(s.usersKept()).isEqualTo(2); // uB (2 reads) and uD (1) have fewer than 5
    assertThat(s.repeatedClicks()).isEqualTo(1);
    assertThat(s.trainImpressions()).isEqualTo(9);
    assertThat(s.devImpressions()).isEqualTo(1);
    assertThat(s.shortImpressions()).isZero();

    NewsCorpus corpus = MindReader.readNews(out.resolve("train/news.tsv"), ReadOptions.STRICT, new ReadReport());
    assertThat(corpus.size()).isEqualTo(10);
    News n01 = corpus.get(corpus.indexOf("n01"));
    assertThat(n01.category()).isEqualTo("sport");
    assertThat(n01.subCategory()).isEqualTo("fotball");
    assertThat(n01.url()).isEqualTo("http://adressa.no/sport/n01");
    // Profile entities only (not the category group), typed by their most specific group, with
    // name-based ids and the title offset where the name occurs.
    assertThat(n01.titleEntities()).extracting(Entity::label, Entity::type, Entity::wikidataId, Entity::occurrenceOffsets)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Trondheim", "location", AdressaConverter.entityId("Trondheim"), List.of(17)),
            org.assertj.core.groups.Tuple.tuple("Rosenborg", "organization", AdressaConverter.entityId("Rosenborg"), List.of(0)));
    News n06 = corpus.get(corpus.indexOf("n06"));
    assertThat(n06.titleEntities()).extracting(Entity::label, Entity::type, Entity::occurrenceOffsets)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("Nidelva", "location", List.of(12)),
            org.assertj.core.groups.Tuple.tuple("Per Olsen", "person", List.of()));
    assertThat(corpus.get(corpus.indexOf("n02")).title().split(" ")).hasSize(20);
    assertThat(corpus.get(corpus.indexOf("n02")).subCategory()).isEmpty();
    assertThat(Files.readString(out.resolve("dev/news.tsv"))).isEqualTo(Files.readString(out.resolve("train/news.tsv")));

    Impressions train = MindReader.readBehaviors(out.resolve("train/behaviors.tsv"), corpus, ReadOptions.STRICT, new ReadReport());
    Impressions dev = MindReader.readBehaviors(out.resolve("dev/behaviors.tsv"), corpus, ReadOptions.STRICT, new ReadReport());
    assertThat(train.size()).isEqualTo(9);
    assertThat(dev.size()).isEqualTo(1);
    Map<String, Set<String>> reads = Map.of(
        "cx:uA", Set.of("n01", "n02", "n03", "n04", "n05"),
        "cx:uC", Set.of("n06", "n07", "n08", "n09", "n10"));
    // uA, in reading order: n01, n02, n03 (the second n02 dropped), n04; histories of at most 2.
    List<String> clicked = new ArrayList<>();
    List<List<String>> histories = new ArrayList<>();
    for (int i = 0; i < train.size(); i++) {
      assertThat(train.candidateCount(i)).isEqualTo(4);
      List<String> pos = new ArrayList<>();
      for (int j = 0; j < 4; j++) {
        String id = corpus.get(train.candidate(i, j)).id();
        if (train.label(i, j) == 1) pos.add(id);
        else assertThat(reads.get(train.userId(i))).as("a negative the user never read").doesNotContain(id);
      }
      assertThat(pos).hasSize(1);
      if (train.userId(i).equals("cx:uA")) {
        clicked.add(pos.get(0));
        histories.add(Arrays.stream(train.history(i)).mapToObj(n -> corpus.get(n).id()).toList());
      }
    }
    assertThat(clicked).containsExactly("n01", "n02", "n03", "n04");
    assertThat(histories).containsExactly(List.of(), List.of("n01"), List.of("n01", "n02"), List.of("n02", "n03"));
    assertThat(Arrays.stream(dev.history(0)).mapToObj(n -> corpus.get(n).id())).containsExactly("n03", "n04");
    assertThat(IntStream.range(0, 4).filter(j -> dev.label(0, j) == 1).mapToObj(j -> corpus.get(dev.candidate(0, j)).id()))
        .containsExactly("n05");
    assertThat(dev.time(0)).isEqualTo(1483228800L + 6 * 86400 + 100);
    // The clicked news is not always first: candidates are shuffled.
    Set<Integer> positions = IntStream.range(0, train.size())
        .map(i -> IntStream.range(0, 4).filter(j -> train.label(i, j) == 1).findFirst().orElseThrow())
        .boxed().collect(Collectors.toSet());
    assertThat(positions.size()).isGreaterThan(1);
  }

  @Test
  void sameInputAndSeedGiveTheSameBytesAnotherSeedOtherNegatives() throws Exception {
    AdressaConverter.convert(RAW, tmp.resolve("a"), options(7, true), l -> {});
    AdressaConverter.convert(RAW, tmp.resolve("b"), options(7, true), l -> {});
    AdressaConverter.convert(RAW, tmp.resolve("c"), options(8, true), l -> {});
    for (String f : List.of("train/news.tsv", "train/behaviors.tsv", "dev/behaviors.tsv")) {
      assertThat(Files.readAllBytes(tmp.resolve("b").resolve(f))).as(f).isEqualTo(Files.readAllBytes(tmp.resolve("a").resolve(f)));
    }
    assertThat(Files.readString(tmp.resolve("c/train/behaviors.tsv"), StandardCharsets.UTF_8))
        .isNotEqualTo(Files.readString(tmp.resolve("a/train/behaviors.tsv"), StandardCharsets.UTF_8));
  }

  @Test
  void tooFewUnreadNewsGiveShorterImpressionsAndAreCounted() {
    AdressaConverter.Summary s = AdressaConverter.convert(RAW, tmp.resolve("o"),
        new AdressaConverter.Options(1, 20, 50, 5, 20, true), l -> {});
    assertThat(s.shortImpressions()).isEqualTo(10); // each kept user left 5 of the 10 news unread
  }

  @Test
  void entityIdsDependOnTheNormalisedNameOnly() {
    assertThat(AdressaConverter.entityId("  TRONDHEIM ")).isEqualTo(AdressaConverter.entityId("trondheim"));
    assertThat(AdressaConverter.entityId("Per  Olsen")).isEqualTo(AdressaConverter.entityId("per olsen"));
    assertThat(AdressaConverter.entityId("Trondheim")).isNotEqualTo(AdressaConverter.entityId("Trondhjem"))
        .matches("A[0-9a-f]{16}");
  }
}
