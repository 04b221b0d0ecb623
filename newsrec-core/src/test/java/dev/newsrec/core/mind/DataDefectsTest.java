package dev.newsrec.core.mind;

import static dev.newsrec.core.mind.MindReaderTest.BEHAVIORS;
import static dev.newsrec.core.mind.MindReaderTest.NEWS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.newsrec.core.data.DataFormatException;
import dev.newsrec.core.data.EntityEmbeddings;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.NewsCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defects that used to pass silently (issue 10, item 2): each is an error strictly, counted leniently. */
class DataDefectsTest {
  private static final String BOM = "\uFEFF";
  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  private NewsCorpus news() throws IOException {
    return MindReader.readNews(write("news.tsv", NEWS), ReadOptions.STRICT, new ReadReport());
  }

  @Test
  void byteOrderMarkIsRemovedWithANoteAndNeverJoinsAnId() throws IOException {
    ReadReport newsReport = new ReadReport();
    NewsCorpus corpus = MindReader.readNews(write("news.tsv", BOM + NEWS), ReadOptions.STRICT, newsReport);
    assertThat(corpus.id(0)).isEqualTo("N55528");
    assertThat(newsReport.notes()).containsExactly("removed the UTF-8 byte order mark at the start");
    assertThat(newsReport.summary("news.tsv")).contains("byte order mark");

    ReadReport behaviorReport = new ReadReport();
    Impressions imps = MindReader.readBehaviors(write("behaviors.tsv", BOM + BEHAVIORS), corpus,
        ReadOptions.STRICT, behaviorReport);
    assertThat(imps.impressionId(0)).isEqualTo("1");
    assertThat(behaviorReport.notes()).hasSize(1);

    ReadReport vectorReport = new ReadReport();
    EntityEmbeddings vectors = MindReader.readVectors(write("entity_embedding.vec",
        BOM + "Q80976\t0.1\t0.2\t\n"), ReadOptions.STRICT, vectorReport);
    assertThat(vectors.indexOf("Q80976")).isZero();
    assertThat(vectorReport.notes()).hasSize(1);

    ReadReport historyReport = new ReadReport();
    HistoriesFile.Histories h = HistoriesFile.read(write(HistoriesFile.FILE_NAME,
        BOM + "U1\tN55528\n"), corpus, ReadOptions.STRICT, historyReport);
    assertThat(h.userIds()).containsExactly("U1");
    assertThat(historyReport.notes()).hasSize(1);

    // A file without a BOM gets no note; the run path passes the note on to its log.
    assertThat(new ReadReport().notes()).isEmpty();
    List<String> log = new ArrayList<>();
    MindFolder.corpus(List.of(new MindFolder(dir)), ReadOptions.STRICT, log);
    assertThat(log).singleElement().asString().contains("news.tsv").contains("byte order mark");
  }

  @Test
  void blankLineIsReportedAsBlankButATrailingNewlineIsFine() throws IOException {
    // NEWS and BEHAVIORS end with a newline, as MIND's files do: no defect.
    NewsCorpus corpus = news();
    assertThat(corpus.size()).isEqualTo(4);
    Path news = write("blank-news.tsv", NEWS + "\n");
    assertThatThrownBy(() -> MindReader.readNews(news, ReadOptions.STRICT, new ReadReport()))
        .isInstanceOf(DataFormatException.class).hasMessageEndingWith("blank-news.tsv:5: blank line");
    Path behaviors = write("behaviors.tsv", BEHAVIORS.replaceFirst("\n", "\n\r\n"));
    assertThatThrownBy(() -> MindReader.readBehaviors(behaviors, corpus, ReadOptions.STRICT, new ReadReport()))
        .hasMessageEndingWith("behaviors.tsv:2: blank line");
    Path vectors = write("v.vec", "Q1\t0.1\t\n\n");
    assertThatThrownBy(() -> MindReader.readVectors(vectors, ReadOptions.STRICT, new ReadReport()))
        .hasMessageEndingWith("v.vec:2: blank line");
    Path histories = write("h.tsv", "U1\tN55528\n \n");
    assertThatThrownBy(() -> HistoriesFile.read(histories, corpus, ReadOptions.STRICT, new ReadReport()))
        .hasMessageEndingWith("h.tsv:2: blank line");

    ReadReport r = new ReadReport();
    assertThat(MindReader.readBehaviors(behaviors, corpus, ReadOptions.LENIENT, r).size()).isEqualTo(3);
    assertThat(r.defects()).containsExactly(java.util.Map.entry(ReadReport.BLANK_LINE, 1L));
    assertThat(r.summary("behaviors.tsv")).contains("dropped 1 blank line");
  }

  @Test
  void duplicateImpressionIdNamesBothLinesAndLenientKeepsTheFirst() throws IOException {
    NewsCorpus corpus = news();
    Path b = write("behaviors.tsv", BEHAVIORS + "2\tU7\t11/14/2019 9:00:00 AM\t\tN19639-1 N53526-0\n");
    assertThatThrownBy(() -> MindReader.readBehaviors(b, corpus, ReadOptions.STRICT, new ReadReport()))
        .hasMessageEndingWith("behaviors.tsv:4: field ImpressionID: duplicate impression id 2 (first on line 2)");
    ReadReport r = new ReadReport();
    Impressions imps = MindReader.readBehaviors(b, corpus, ReadOptions.LENIENT, r);
    assertThat(imps.size()).isEqualTo(3);
    assertThat(imps.userId(1)).isEqualTo("U91836");
    assertThat(r.defects()).containsEntry(ReadReport.DUPLICATE_IMPRESSION, 1L);
  }

  @Test
  void duplicateNewsIdInOneFileIsADefectAcrossSplitsOnlyWhenTheRowsDiffer() throws IOException {
    String again = "N19639\thealth\tweightloss\tA different title\t\t\t[]\t\n";
    Path news = write("news.tsv", NEWS + again);
    assertThatThrownBy(() -> MindReader.readNews(news, ReadOptions.STRICT, new ReadReport()))
        .hasMessageEndingWith("news.tsv:5: field NewsID: duplicate news id N19639 (first on line 2)");
    ReadReport r = new ReadReport();
    NewsCorpus lenient = MindReader.readNews(news, ReadOptions.LENIENT, r);
    assertThat(lenient.get(lenient.indexOf("N19639")).title()).isEqualTo("50 Worst Habits For Belly Fat");
    assertThat(r.defects()).containsEntry(ReadReport.DUPLICATE_NEWS, 1L);

    // MIND's dev and train share news: the same row in two splits is normal.
    Path train = write("train/news.tsv", NEWS);
    write("train/behaviors.tsv", BEHAVIORS);
    Path dev = write("dev/news.tsv", NEWS.lines().skip(1).map(l -> l + "\n").reduce("", String::concat));
    write("dev/behaviors.tsv", BEHAVIORS);
    List<MindFolder> splits = List.of(MindFolder.of(train.getParent()), MindFolder.of(dev.getParent()));
    List<String> log = new ArrayList<>();
    MindFolder.corpus(splits, ReadOptions.STRICT, log);
    assertThat(log).isEmpty();
    // A different row under the same id is reported, and the first row is kept.
    Files.writeString(dev, again);
    NewsCorpus corpus = MindFolder.corpus(splits, ReadOptions.STRICT, log);
    assertThat(corpus.get(corpus.indexOf("N19639")).title()).isEqualTo("50 Worst Habits For Belly Fat");
    assertThat(log).singleElement().asString().contains("1 news ids differ")
        .contains("dev" + java.io.File.separator + "news.tsv:1: news id N19639");
  }

  @Test
  void duplicateCandidateIsAnErrorAndLenientKeepsTheFirstOccurrence() throws IOException {
    NewsCorpus corpus = news();
    Path b = write("behaviors.tsv", BEHAVIORS + "4\tU1\t11/14/2019 9:00:00 AM\t\tN19639-1 N53526-0 N19639-0\n");
    assertThatThrownBy(() -> MindReader.readBehaviors(b, corpus, ReadOptions.STRICT, new ReadReport()))
        .hasMessageEndingWith("behaviors.tsv:4: field Impressions: candidate N19639 appears more than once in this impression");
    ReadReport r = new ReadReport();
    Impressions imps = MindReader.readBehaviors(b, corpus, ReadOptions.LENIENT, r);
    assertThat(imps.size()).isEqualTo(4);
    assertThat(imps.candidateCount(3)).isEqualTo(2);
    assertThat(corpus.id(imps.candidate(3, 0))).isEqualTo("N19639");
    assertThat(imps.label(3, 0)).isEqualTo(1);
    assertThat(r.defects()).containsEntry(ReadReport.DUPLICATE_CANDIDATE, 1L);
    assertThat(r.skippedLines()).isZero();
    // The same news in two impressions, or in history and candidates, is normal.
    assertThat(MindReader.readBehaviors(write("ok.tsv", BEHAVIORS), corpus, ReadOptions.STRICT,
        new ReadReport()).size()).isEqualTo(3);
  }

  @Test
  void emptyFilesAreErrorsAndTheRunPathRefusesThemEvenWhenLenient() throws IOException {
    NewsCorpus corpus = news();
    Path b = write("behaviors.tsv", "");
    assertThatThrownBy(() -> MindReader.readBehaviors(b, corpus, ReadOptions.STRICT, new ReadReport()))
        .hasMessageEndingWith("behaviors.tsv: no impressions (empty file)");
    ReadReport r = new ReadReport();
    assertThat(MindReader.readBehaviors(b, corpus, ReadOptions.LENIENT, r).size()).isZero();
    assertThat(r.defects()).containsEntry(ReadReport.EMPTY_FILE, 1L);
    MindFolder folder = new MindFolder(dir);
    assertThatThrownBy(() -> folder.impressions(corpus, ReadOptions.LENIENT, new ArrayList<>()))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("no impressions (empty file)");
    // Every line dropped leniently leaves nothing either.
    Files.writeString(b, "1\tU1\tyesterday\t\tN19639-1\n");
    assertThatThrownBy(() -> folder.impressions(corpus, ReadOptions.LENIENT, new ArrayList<>()))
        .hasMessageContaining("no impressions (all 1 lines dropped").hasMessageContaining("field Time");

    Path n = write("news.tsv", "");
    assertThatThrownBy(() -> MindReader.readNews(n, ReadOptions.STRICT, new ReadReport()))
        .hasMessageEndingWith("news.tsv: no news (empty file)");
    assertThatThrownBy(() -> MindFolder.corpus(List.of(folder), ReadOptions.LENIENT, new ArrayList<>()))
        .hasMessageContaining("news.tsv: no news (empty file)");
  }

  @Test
  void trainingSplitWithoutClicksIsAnError() throws IOException {
    NewsCorpus corpus = news();
    write("behaviors.tsv", BEHAVIORS.replace("-1", "-0"));
    MindFolder folder = new MindFolder(dir);
    assertThat(folder.impressions(corpus, ReadOptions.STRICT, new ArrayList<>()).clicks()).isZero();
    assertThatThrownBy(() -> folder.trainingImpressions(corpus, ReadOptions.STRICT, new ArrayList<>()))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("behaviors.tsv: no clicked candidate (label 1)");
    write("behaviors.tsv", "9\tU1\t11/15/2019 8:55:22 AM\tN19639\tN55528 N61837\n");
    assertThatThrownBy(() -> folder.trainingImpressions(corpus, ReadOptions.STRICT, new ArrayList<>()))
        .hasMessageContaining("no labels");
    write("behaviors.tsv", BEHAVIORS);
    assertThat(folder.trainingImpressions(corpus, ReadOptions.STRICT, new ArrayList<>()).clicks())
        .isEqualTo(3);
  }

  @Test
  void missingNewsFileIsNamed() throws IOException {
    write("behaviors.tsv", BEHAVIORS);
    assertThatThrownBy(() -> MindFolder.of(dir)).hasMessageContaining(": no news.tsv (a MIND split folder");
  }
}
