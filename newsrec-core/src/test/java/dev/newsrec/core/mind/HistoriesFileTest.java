package dev.newsrec.core.mind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.newsrec.core.data.DataFormatException;
import dev.newsrec.core.data.News;
import dev.newsrec.core.data.NewsCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoriesFileTest {
  private static NewsCorpus corpus() {
    NewsCorpus c = new NewsCorpus();
    for (String id : List.of("N1", "N2", "N3")) c.add(News.of(id, "news", "newsus", "title " + id));
    return c;
  }

  @Test
  void roundTripsAndDropsUnknownNews(@TempDir Path dir) throws IOException {
    NewsCorpus corpus = corpus();
    Path file = dir.resolve(HistoriesFile.FILE_NAME);
    HistoriesFile.write(file, new HistoriesFile.Histories(List.of("U1", "U2"),
        List.of(new int[] {0, 2}, new int[0])), corpus);
    assertThat(Files.readString(file)).isEqualTo("U1\tN1 N3\nU2\t\n");
    HistoriesFile.Histories read = HistoriesFile.read(file, corpus, ReadOptions.STRICT, new ReadReport());
    assertThat(read.userIds()).containsExactly("U1", "U2");
    assertThat(read.histories().get(0)).containsExactly(0, 2);
    assertThat(read.histories().get(1)).isEmpty();

    Files.writeString(file, "U1\tN1 N9 N2\r\n");
    ReadReport report = new ReadReport();
    read = HistoriesFile.read(file, corpus, ReadOptions.STRICT, report);
    assertThat(read.histories().get(0)).containsExactly(0, 1);
    assertThat(report.unknownHistoryRefs()).isEqualTo(1);
  }

  @Test
  void badLinesNameFileLineAndField(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("h.tsv");
    Files.writeString(file, "U1\tN1\nU2 N2\n");
    assertThatThrownBy(() -> HistoriesFile.read(file, corpus(), ReadOptions.STRICT, new ReadReport()))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("h.tsv:2: field columns");
    Files.writeString(file, "U1\tN1\nU1\tN2\n\tN3\n");
    assertThatThrownBy(() -> HistoriesFile.read(file, corpus(), ReadOptions.STRICT, new ReadReport()))
        .hasMessageContaining("h.tsv:2: field UserID");
    ReadReport report = new ReadReport();
    HistoriesFile.Histories lenient = HistoriesFile.read(file, corpus(), ReadOptions.LENIENT, report);
    assertThat(lenient.userIds()).containsExactly("U1");
    assertThat(report.skippedLines()).isEqualTo(2);
    assertThatThrownBy(() -> HistoriesFile.read(dir.resolve("missing.tsv"), corpus(),
        ReadOptions.STRICT, new ReadReport())).hasMessageContaining("no such file");
  }

  @Test
  void fixedDecimalsAreExact() {
    StringBuilder sb = new StringBuilder();
    MindWriter.appendFixed(sb, -0.0633884, 6);
    sb.append(' ');
    MindWriter.appendFixed(sb, 0.5, 6);
    sb.append(' ');
    MindWriter.appendFixed(sb, -0.0000001, 6);
    sb.append(' ');
    MindWriter.appendFixed(sb, 1.0, 6);
    sb.append(' ');
    MindWriter.appendFixed(sb, 12.3456789, 3);
    assertThat(sb).hasToString("-0.063388 0.500000 0.000000 1.000000 12.346");
  }
}
