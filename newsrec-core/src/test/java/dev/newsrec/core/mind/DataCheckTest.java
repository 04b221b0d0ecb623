package dev.newsrec.core.mind;

import static dev.newsrec.core.mind.MindReaderTest.BEHAVIORS;
import static dev.newsrec.core.mind.MindReaderTest.NEWS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code data check}: every defect class is counted per split and file, none stops the check. */
class DataCheckTest {
  @TempDir Path dir;

  private Path split(String name, String news, String behaviors, String vectors) throws IOException {
    Path d = dir.resolve(name);
    Files.createDirectories(d);
    Files.writeString(d.resolve(MindFolder.NEWS), news);
    Files.writeString(d.resolve(MindFolder.BEHAVIORS), behaviors);
    if (vectors != null) Files.writeString(d.resolve(MindFolder.ENTITY_VECTORS), vectors);
    return d;
  }

  @Test
  void cleanSplitsHaveNoDefects() throws IOException {
    Path train = split("train", NEWS, BEHAVIORS, "Q80976\t0.1\t0.2\t\n");
    Path dev = split("dev", NEWS, BEHAVIORS, "Q212\t0.3\t0.4\t\n");
    List<DataCheck.Report> reports = DataCheck.checkAll(List.of(train, dev));
    assertThat(reports).allSatisfy(r -> {
      assertThat(r.defectCount()).isZero();
      assertThat(r.conflictingNews()).isZero();
      assertThat(r.render()).contains("defects           none").contains("dimension 2");
    });
  }

  @Test
  void countsEveryDefectClassByFileWithoutStopping() throws IOException {
    String news = "\uFEFF" + NEWS + NEWS.lines().findFirst().orElseThrow() + "\n\n";
    String behaviors = BEHAVIORS
        + "2\tU7\t11/14/2019 9:00:00 AM\t\tN19639-1 N53526-0\n"         // duplicate impression id
        + "4\tU1\t11/14/2019 9:00:00 AM\t\tN19639-1 N53526-0 N19639-0\n" // duplicate candidate
        + "5\tU1\tyesterday\t\tN19639-1\n"                                // bad Time
        + "\n";                                                           // blank line
    Path train = split("train", news, behaviors, "Q1\t0.1\t0.2\t\nQ2\t0.3\t\n");
    DataCheck.Report r = DataCheck.check(train);
    assertThat(r.impressions()).isEqualTo(4);
    assertThat(r.defects()).extracting(DataCheck.Defects::file)
        .containsExactly(MindFolder.NEWS, MindFolder.BEHAVIORS, MindFolder.ENTITY_VECTORS);
    assertThat(r.defects().get(0).counts()).containsExactly(
        Map.entry(ReadReport.DUPLICATE_NEWS, 1L), Map.entry(ReadReport.BLANK_LINE, 1L));
    assertThat(r.defects().get(1).counts()).containsOnly(
        Map.entry(ReadReport.DUPLICATE_IMPRESSION, 1L), Map.entry(ReadReport.DUPLICATE_CANDIDATE, 1L),
        Map.entry("bad Time", 1L), Map.entry(ReadReport.BLANK_LINE, 1L));
    assertThat(r.defects().get(2).counts()).containsOnly(Map.entry("bad vector", 1L));
    assertThat(r.defectCount()).isEqualTo(7);
    assertThat(r.fatalCount()).isZero();
    assertThat(r.firstDefect()).contains("news.tsv:5: field NewsID: duplicate news id N55528 (first on line 1)");
    assertThat(r.render()).contains("behaviors.tsv: 1 duplicate impression id")
        .contains("news.tsv: removed the UTF-8 byte order mark");
  }

  @Test
  void emptyFilesNoClicksAndMixedVectorDimensionsAreFatal() throws IOException {
    Path train = split("train", NEWS, BEHAVIORS.replace("-1", "-0"), "Q1\t0.1\t0.2\t\n");
    Path dev = split("dev", NEWS, "", "Q1\t0.1\t0.2\t0.3\t\n");
    Path test = split("test", "", "9\tU1\t11/15/2019 8:55:22 AM\t\tN1 N2\n", null);
    List<DataCheck.Report> reports = DataCheck.checkAll(List.of(train, dev, test));
    assertThat(reports.get(0).defects()).singleElement().satisfies(d -> {
      assertThat(d.counts()).containsOnlyKeys(DataCheck.NO_CLICKS);
      assertThat(d.first()).contains("train").contains("no clicked candidate");
    });
    assertThat(reports.get(1).defects()).extracting(DataCheck.Defects::counts).containsExactly(
        Map.of(ReadReport.EMPTY_FILE, 1L), Map.of(DataCheck.VECTOR_DIMENSION, 1L));
    assertThat(reports.get(1).defects().get(1).first())
        .contains("entity_embedding.vec:1: field vector: 3 values per vector, but ")
        .endsWith("has 2");
    // An unlabelled split (MIND-large test) needs no clicks; its empty news.tsv is a defect.
    assertThat(reports.get(2).defects()).extracting(d -> d.counts().keySet())
        .allSatisfy(k -> assertThat(k).doesNotContain(DataCheck.NO_CLICKS));
    assertThat(reports.get(2).defects().get(0).counts()).containsEntry(ReadReport.EMPTY_FILE, 1L);
    assertThat(reports).allSatisfy(r -> assertThat(r.fatalCount()).isPositive());
  }

  @Test
  void conflictingNewsAcrossSplitsIsCountedNotFatal() throws IOException {
    Path train = split("train", NEWS, BEHAVIORS, null);
    Path dev = split("dev", NEWS.replace("50 Worst Habits", "Fifty Worst Habits"), BEHAVIORS, null);
    List<DataCheck.Report> reports = DataCheck.checkAll(List.of(train, dev));
    assertThat(reports).allSatisfy(r -> {
      assertThat(r.conflictingNews()).isEqualTo(1);
      assertThat(r.defectCount()).isZero();
      assertThat(r.render()).contains("1 news ids have a different row in another split");
    });
  }
}
