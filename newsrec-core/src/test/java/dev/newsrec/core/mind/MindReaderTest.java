package dev.newsrec.core.mind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.newsrec.core.data.DataFormatException;
import dev.newsrec.core.data.EntityEmbeddings;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.News;
import dev.newsrec.core.data.NewsCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MindReaderTest {
  @TempDir Path dir;

  // Rows shaped like real MIND: entity JSON, empty abstract/URL/entity columns.
  static final String NEWS = String.join("\n",
      "N55528\tlifestyle\tlifestyleroyals\tThe Brands Queen Elizabeth, Prince Charles, and Prince Philip Swear By\tShop the notebooks, jackets, and more that the royals can't live without.\thttps://assets.msn.com/labs/mind/AAGH0ET.html\t[{\"Label\": \"Prince Philip, Duke of Edinburgh\", \"Type\": \"P\", \"WikidataId\": \"Q80976\", \"Confidence\": 1.0, \"OccurrenceOffsets\": [48], \"SurfaceForms\": [\"Prince Philip\"]}]\t[]",
      "N19639\thealth\tweightloss\t50 Worst Habits For Belly Fat\t\t\t[]\t",
      "N61837\tnews\tnewsworld\tThe Cost of Trump's Aid Freeze in the Trenches of Ukraine's War\tLt. Ivan Molchanets peeked over a parapet.\thttps://assets.msn.com/labs/mind/AAJgNsz.html\t[]\t[{\"Label\": \"Ukraine\", \"Type\": \"G\", \"WikidataId\": \"Q212\", \"Confidence\": 0.946, \"OccurrenceOffsets\": [87], \"SurfaceForms\": [\"Ukrainian\"]}]",
      "N53526\thealth\tvoices\tI Was An NBA Wife. Here's How It Affected My Mental Health.\t\t\t\t") + "\n";

  static final String BEHAVIORS = String.join("\n",
      "1\tU13740\t11/11/2019 9:05:58 AM\tN55528 N19639\tN61837-0 N53526-1",
      "2\tU91836\t11/12/2019 6:11:30 PM\t\tN19639-1 N55528-0 N61837-0",
      "3\tU13740\t11/13/2019 12:00:01 AM\tN55528 N19639\tN53526-0 N61837-1") + "\n";

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void readsRealShapedNews() throws IOException {
    NewsCorpus c = MindReader.readNews(write("news.tsv", NEWS), ReadOptions.STRICT, new ReadReport());
    assertThat(c.size()).isEqualTo(4);
    News n = c.get(c.indexOf("N55528"));
    assertThat(n.subCategory()).isEqualTo("lifestyleroyals");
    assertThat(n.titleEntities()).hasSize(1);
    assertThat(n.titleEntities().get(0).wikidataId()).isEqualTo("Q80976");
    assertThat(n.titleEntities().get(0).occurrenceOffsets()).containsExactly(48);
    assertThat(n.titleEntities().get(0).surfaceForms()).containsExactly("Prince Philip");
    News empty = c.get(c.indexOf("N19639"));
    assertThat(empty.abstractText()).isEmpty();
    assertThat(empty.abstractEntities()).isEmpty();
    assertThat(c.get(c.indexOf("N61837")).abstractEntities().get(0).confidence()).isEqualTo(0.946);
  }

  @Test
  void readsBehavioursWithSharedHistoriesAndEmptyHistory() throws IOException {
    NewsCorpus c = MindReader.readNews(write("news.tsv", NEWS), ReadOptions.STRICT, new ReadReport());
    Impressions imps = MindReader.readBehaviors(write("behaviors.tsv", BEHAVIORS), c,
        ReadOptions.STRICT, new ReadReport());
    assertThat(imps.size()).isEqualTo(3);
    assertThat(imps.labelled()).isTrue();
    assertThat(imps.userId(0)).isEqualTo("U13740");
    assertThat(imps.userIndex(2)).isEqualTo(imps.userIndex(0));
    assertThat(imps.history(1)).isEmpty();
    // Same user, same history: one history number.
    assertThat(imps.historyIndex(2)).isEqualTo(imps.historyIndex(0));
    assertThat(c.id(imps.history(0)[0])).isEqualTo("N55528");
    assertThat(imps.candidateCount(1)).isEqualTo(3);
    assertThat(c.id(imps.candidate(1, 0))).isEqualTo("N19639");
    assertThat(imps.label(1, 0)).isEqualTo(1);
    assertThat(imps.label(1, 2)).isEqualTo(0);
    assertThat(MindTime.format(imps.time(0))).isEqualTo("11/11/2019 9:05:58 AM");
    assertThat(MindTime.format(imps.time(2))).isEqualTo("11/13/2019 12:00:01 AM");
    assertThat(imps.time(1) - imps.time(0)).isEqualTo(86400 + 9 * 3600 + 5 * 60 + 32);
  }

  @Test
  void writerRoundTripsBytes() throws IOException {
    NewsCorpus c = MindReader.readNews(write("news.tsv", NEWS), ReadOptions.STRICT, new ReadReport());
    Impressions imps = MindReader.readBehaviors(write("behaviors.tsv", BEHAVIORS), c,
        ReadOptions.STRICT, new ReadReport());
    Path b2 = dir.resolve("b2.tsv");
    MindWriter.writeBehaviors(b2, imps);
    assertThat(Files.readString(b2)).isEqualTo(BEHAVIORS);
    Path n2 = dir.resolve("n2.tsv");
    MindWriter.writeNews(n2, c.all());
    NewsCorpus again = MindReader.readNews(n2, ReadOptions.STRICT, new ReadReport());
    assertThat(again.all()).isEqualTo(c.all());
  }

  @Test
  void unlabelledTestSplit() throws IOException {
    Path b = write("behaviors.tsv", "9\tU1\t11/15/2019 8:55:22 AM\tN19639\tN55528 N61837\n");
    Impressions imps = MindReader.readBehaviors(b, null, ReadOptions.STRICT, new ReadReport());
    assertThat(imps.labelled()).isFalse();
    assertThat(imps.label(0, 1)).isEqualTo(Impressions.NO_LABEL);
    assertThat(imps.corpus().size()).isEqualTo(3);
  }

  @Test
  void badLinesNameFileLineAndField() throws IOException {
    NewsCorpus c = MindReader.readNews(write("news.tsv", NEWS), ReadOptions.STRICT, new ReadReport());
    String ok = "1\tU1\t11/11/2019 9:05:58 AM\tN55528\tN61837-0 N53526-1\n";
    List<String[]> cases = List.of(
        new String[] {"2\tU1\t11/11/2019 9:05:58 AM\tN55528\n", "columns"},
        new String[] {"2\tU1\t2019-11-11 09:05\tN55528\tN61837-0\n", "Time"},
        new String[] {"2\tU1\t11/11/2019 9:05:58 AM\tN55528\tN61837-2\n", "Impressions"},
        new String[] {"2\tU1\t11/11/2019 9:05:58 AM\tN55528\tN61837-x\n", "Impressions"},
        new String[] {"2\tU1\t11/11/2019 9:05:58 AM\tN55528\tN99999-1\n", "Impressions"},
        new String[] {"2\tU1\t11/11/2019 9:05:58 AM\tN55528\tN61837-1 N53526\n", "Impressions"},
        new String[] {"2\tU1\t11/11/2019 9:05:58 AM\tN55528\t\n", "Impressions"},
        new String[] {"2\t\t11/11/2019 9:05:58 AM\tN55528\tN61837-1\n", "UserID"});
    for (String[] bad : cases) {
      Path b = write("behaviors.tsv", ok + bad[0]);
      assertThatThrownBy(() -> MindReader.readBehaviors(b, c, ReadOptions.STRICT, new ReadReport()))
          .isInstanceOf(DataFormatException.class)
          .hasMessageContaining("behaviors.tsv:2")
          .hasMessageContaining("field " + bad[1])
          .satisfies(e -> assertThat(((DataFormatException) e).line()).isEqualTo(2));
    }
    Path badNews = write("bad-news.tsv", NEWS + "N1\tnews\tx\tTitle\t\t\t[{\"Label\": \t[]\n");
    assertThatThrownBy(() -> MindReader.readNews(badNews, ReadOptions.STRICT, new ReadReport()))
        .hasMessageContaining("bad-news.tsv:5").hasMessageContaining("field TitleEntities")
        .hasMessageContaining("bad JSON");
    Path shortNews = write("short.tsv", "N1\tnews\tx\tTitle\n");
    assertThatThrownBy(() -> MindReader.readNews(shortNews, ReadOptions.STRICT, new ReadReport()))
        .hasMessageContaining("short.tsv:1").hasMessageContaining("found 4");
  }

  @Test
  void lenientSkipsAndCountsAndUnknownHistoryIsDropped() throws IOException {
    NewsCorpus c = MindReader.readNews(write("news.tsv", NEWS), ReadOptions.STRICT, new ReadReport());
    Path b = write("behaviors.tsv", BEHAVIORS
        + "4\tU1\tyesterday\tN55528\tN61837-1\n"
        + "5\tU1\t11/11/2019 9:05:58 AM\tN55528 N00001\tN61837-1 N53526-0\n"
        + "6\tU1\t11/11/2019 9:05:58 AM\tN55528\tN61837-1 N00002-0\n");
    ReadReport r = new ReadReport();
    Impressions imps = MindReader.readBehaviors(b, c, ReadOptions.LENIENT, r);
    assertThat(imps.size()).isEqualTo(4);
    assertThat(imps.impressionId(3)).isEqualTo("5");
    assertThat(imps.history(3)).hasSize(1);
    assertThat(r.skippedLines()).isEqualTo(2);
    assertThat(r.defects()).containsEntry("bad Time", 1L).containsEntry("bad Impressions", 1L);
    assertThat(r.unknownHistoryRefs()).isEqualTo(1);
    assertThat(r.unknownCandidateRefs()).isEqualTo(1);
    assertThat(r.unknownIds()).containsExactlyInAnyOrder("N00001", "N00002");
    // Strict mode: the unknown history id is only reported, the unknown candidate is an error.
    assertThatThrownBy(() -> MindReader.readBehaviors(b, c, ReadOptions.STRICT, new ReadReport()))
        .hasMessageContaining(":4: field Time");
  }

  @Test
  void vectorsWithTrailingTab() throws IOException {
    Path v = write("entity_embedding.vec", "Q80976\t0.1\t-0.2\t0.3\t\nQ212\t1\t2\t3\t\n");
    EntityEmbeddings e = MindReader.readVectors(v, ReadOptions.STRICT, new ReadReport());
    assertThat(e.size()).isEqualTo(2);
    assertThat(e.dim()).isEqualTo(3);
    assertThat(e.vector("Q212")).containsExactly(1f, 2f, 3f);
    Path bad = write("bad.vec", "Q1\t0.1\t0.2\nQ2\t0.1\n");
    assertThatThrownBy(() -> MindReader.readVectors(bad, ReadOptions.STRICT, new ReadReport()))
        .hasMessageContaining("bad.vec:2").hasMessageContaining("expected 2 values");
  }

  @Test
  void timeParsing() {
    assertThat(MindTime.parse("11/15/2019 10:22:32 AM", 0, 22)).isEqualTo(1573813352L);
    assertThat(MindTime.parse("11/15/2019 12:22:32 PM", 0, 22)).isEqualTo(1573820552L);
    assertThat(MindTime.parse("13/15/2019 10:22:32 AM", 0, 22)).isEqualTo(Long.MIN_VALUE);
    assertThat(MindTime.parse("11/15/2019 10:22:32", 0, 19)).isEqualTo(Long.MIN_VALUE);
  }
}
