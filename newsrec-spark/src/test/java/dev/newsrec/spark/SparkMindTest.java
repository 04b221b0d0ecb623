package dev.newsrec.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.newsrec.core.data.DataFormatException;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.core.mind.MindReader;
import dev.newsrec.core.mind.ReadOptions;
import dev.newsrec.core.mind.ReadReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark reader against the single-machine reader on the same defective files: the same first
 * error in strict mode, the same impressions and counts in lenient mode.
 */
class SparkMindTest {
  static JavaSparkContext sc;
  @TempDir static Path dir;

  static final String T = "11/15/2019 10:22:32 AM";
  static final String NEWS = String.join("\n",
      "N1\tsports\tsoccer\tGoal in the last minute\tabs\turl\t[]\t[]",
      "N2\tnews\tpolitics\tVote today\tabs\turl\t[]\t[]",
      "N3\tnews\tworld\tStorm ahead\tabs\turl\t[]\t[]",
      "N4\tfinance\tmarkets\tStocks up\tabs\turl\t[]\t[]",
      "N5\tlife\tfood\tBread recipe\tabs\turl\t[]\t[]") + "\n";

  @BeforeAll
  static void start() {
    // blocks of about 100 bytes: every file below spans several partitions, so the cross-line rules
    // are applied across them
    sc = SparkEngine.start("local[2]", "SparkMindTest",
        new org.apache.spark.SparkConf().set(SparkMind.BLOCK_BYTES, "100"));
  }

  @AfterAll
  static void stop() {
    sc.close();
  }

  static String line(String id, String user, String time, String history, String imps) {
    return id + "\t" + user + "\t" + time + "\t" + history + "\t" + imps;
  }

  static Path write(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.write(f, text.getBytes(StandardCharsets.UTF_8));
    return f;
  }

  static Path news() throws IOException { return write("news.tsv", NEWS); }

  /** Both readers in strict mode: the same exception message, or both accept. */
  static void sameStrictVerdict(String name, String behaviors) throws IOException {
    Path news = news();
    Path f = write(name, behaviors);
    NewsCorpus corpus = MindReader.readNews(news, ReadOptions.STRICT, new ReadReport());
    Throwable expected = catchThrowable(() -> MindReader.readBehaviors(f, corpus, ReadOptions.STRICT,
        new ReadReport(), 1, MindReader.DEFAULT_BLOCK_BYTES));
    SparkMind.NewsRead read = SparkMind.news(sc, news, ReadOptions.STRICT);
    Throwable actual = catchThrowable(() -> SparkMind.behaviors(sc, f, sc.broadcast(index(read)), ReadOptions.STRICT));
    if (expected == null) {
      assertThat(actual).as(name).isNull();
    } else {
      assertThat(actual).as(name).isInstanceOf(DataFormatException.class).hasMessage(expected.getMessage());
    }
  }

  static Map<String, Integer> index(SparkMind.NewsRead read) {
    Map<String, Integer> m = new HashMap<>();
    for (int i = 0; i < read.size(); i++) m.put(read.ids().get(i), i);
    return m;
  }

  @Test
  void strictModeStopsAtTheSameLineWithTheSameMessage() throws IOException {
    String ok1 = line("1", "U1", T, "N1 N2", "N3-1 N4-0");
    String ok2 = line("2", "U2", T, "", "N1-0 N5-1");
    sameStrictVerdict("good.tsv", ok1 + "\n" + ok2 + "\n");
    sameStrictVerdict("blank.tsv", ok1 + "\n   \n" + ok2 + "\n");
    sameStrictVerdict("columns.tsv", ok1 + "\n2\tU2\t" + T + "\tN1\n");
    sameStrictVerdict("time.tsv", ok1 + "\n" + line("2", "U2", "yesterday", "", "N1-0") + "\n");
    sameStrictVerdict("repeat.tsv", ok1 + "\n" + line("2", "U2", T, "", "N1-0 N2-1 N1-0") + "\n");
    sameStrictVerdict("unknown.tsv", ok1 + "\n" + line("2", "U2", T, "N1", "N1-0 N9-1") + "\n");
    sameStrictVerdict("dup.tsv", ok1 + "\n" + ok2 + "\n" + line("1", "U3", T, "", "N2-1 N3-0") + "\n");
    sameStrictVerdict("mixed.tsv", ok1 + "\n" + line("2", "U2", T, "", "N1 N5") + "\n");
    sameStrictVerdict("label.tsv", ok1 + "\n" + line("2", "U2", T, "", "N1-2 N5-1") + "\n");
    sameStrictVerdict("unknown-history.tsv", line("1", "U1", T, "N8 N1 N9", "N3-1 N4-0") + "\n");
    sameStrictVerdict("empty.tsv", "");
    sameStrictVerdict("crlf.tsv", ok1 + "\r\n" + ok2 + "\r\n");
  }

  @Test
  void lenientModeSkipsAndCountsTheSameLines() throws IOException {
    String text = "\uFEFF" + String.join("\n",
        // unlabelled and with an unknown candidate: skipped, so it does not decide the labelling
        line("10", "U0", T, "N1", "N2 N9"),
        line("1", "U1", T, "N1 N2 N7", "N3-1 N4-0"),
        line("2", "U2", "not a time", "", "N1-0"),
        line("2", "U2", T, "N3", "N1-0 N5-1 N1-0"), // the earlier id 2 was bad: this one is accepted
        "",
        line("3", "U3", T, "", "N1 N2"), // unlabelled in a labelled file
        line("3", "U3", T, "N8", "N9-1 N1-0"), // unknown candidate: id 3 still free
        line("3", "U3", T, "", "N4-1 N2-0"), // accepted
        line("1", "U9", T, "N7", "N2-1 N3-0"), // duplicate of line 2: its unknown history not counted
        "4\tU4\t" + T + "\tN1",
        line("5", "U5", T, "N1 N1", "N5-1 N4-0 N3-0"),
        line("6", "U6", T, "", "N5-3 N4-0")) + "\n";
    Path news = news();
    Path f = write("lenient.tsv", text);
    NewsCorpus corpus = MindReader.readNews(news, ReadOptions.STRICT, new ReadReport());
    for (int threads : new int[] {1, 2}) {
      ReadReport expected = new ReadReport();
      Impressions imps = MindReader.readBehaviors(f, corpus, ReadOptions.LENIENT, expected, threads, 64);
      SparkMind.NewsRead read = SparkMind.news(sc, news, ReadOptions.LENIENT);
      assertThat(read.ids()).containsExactly("N1", "N2", "N3", "N4", "N5");
      SparkMind.BehaviorsRead actual = SparkMind.behaviors(sc, f, sc.broadcast(index(read)), ReadOptions.LENIENT);
      assertThat(actual.impressions().getNumPartitions()).isGreaterThanOrEqualTo(3);
      sameReport(actual.report(), expected, f);
      List<SparkMind.Impression> got = actual.impressions().collect();
      assertThat(actual.count()).isEqualTo(imps.size());
      assertThat(got).hasSize(imps.size());
      for (int i = 0; i < imps.size(); i++) {
        SparkMind.Impression g = got.get(i);
        assertThat(g.id).isEqualTo(imps.impressionId(i));
        assertThat(g.user).isEqualTo(imps.userId(i));
        assertThat(g.time).isEqualTo(imps.time(i));
        assertThat(g.history).containsExactly(imps.history(i));
        int[] c = new int[imps.candidateCount(i)];
        byte[] l = new byte[c.length];
        for (int j = 0; j < c.length; j++) {
          c[j] = imps.candidate(i, j);
          l[j] = (byte) imps.label(i, j);
        }
        assertThat(g.candidates).containsExactly(c);
        assertThat(g.labels).containsExactly(l);
      }
      assertThat(actual.labelled()).isEqualTo(imps.labelled());
      actual.release();
    }
    // the file's verdicts as written above, so that the comparison is not between two empty results
    ReadReport r = new ReadReport();
    Impressions imps = MindReader.readBehaviors(f, corpus, ReadOptions.LENIENT, r, 1, 64);
    assertThat(Arrays.asList(ids(imps))).containsExactly("1", "2", "3", "5");
    assertThat(r.skippedLines()).isEqualTo(8);
  }

  @Test
  void evaluationModeAcceptsEveryIdAndKeepsHistoryLengths() throws IOException {
    Path f = write("open.tsv", line("1", "U1", T, "X1 X2 X3", "Y1-1 Y2-0") + "\n"
        + line("2", "U2", T, "", "Y3-0 Y1-1 Y9-0") + "\n" + line("1", "U3", T, "", "Y3-0") + "\n");
    ReadReport expected = new ReadReport();
    Impressions imps = MindReader.readBehaviors(f, null, ReadOptions.LENIENT, expected, 1, 64);
    SparkMind.BehaviorsRead actual = SparkMind.behaviors(sc, f, null, ReadOptions.LENIENT);
    sameReport(actual.report(), expected, f);
    List<SparkMind.Impression> got = actual.impressions().collect();
    assertThat(got).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(got.get(i).historyLength).isEqualTo(imps.history(i).length);
      assertThat(got.get(i).labels).hasSize(imps.candidateCount(i));
    }
    assertThatThrownBy(() -> SparkMind.behaviors(sc, f, null, ReadOptions.STRICT))
        .hasMessage(catchThrowable(() -> MindReader.readBehaviors(f, null, ReadOptions.STRICT, new ReadReport()))
            .getMessage());
  }

  @Test
  void newsDefectsAsTheSingleMachineReader() throws IOException {
    Path f = write("bad-news.tsv", NEWS + "N2\tx\ty\tAgain\ta\tu\t[]\t[]\nN6\tx\ty\tT\ta\tu\t[{\"Label\":1}]\t[]\n\nN7\tshort\n"
        + "N8\tx\ty\tFine\ta\tu\t[]\t[]\n");
    ReadReport expected = new ReadReport();
    NewsCorpus corpus = MindReader.readNews(f, ReadOptions.LENIENT, expected);
    SparkMind.NewsRead read = SparkMind.news(sc, f, ReadOptions.LENIENT);
    sameReport(read.report(), expected, f);
    assertThat(read.ids()).hasSize(corpus.size());
    for (int i = 0; i < corpus.size(); i++) {
      assertThat(read.ids().get(i)).isEqualTo(corpus.id(i));
      assertThat(SparkMind.corpus(read.lines()).get(i)).isEqualTo(corpus.get(i));
    }
    assertThatThrownBy(() -> SparkMind.news(sc, f, ReadOptions.STRICT))
        .hasMessage(catchThrowable(() -> MindReader.readNews(f, ReadOptions.STRICT, new ReadReport())).getMessage());
  }

  static String[] ids(Impressions imps) {
    String[] out = new String[imps.size()];
    for (int i = 0; i < out.length; i++) out[i] = imps.impressionId(i);
    return out;
  }

  static void sameReport(ReadReport actual, ReadReport expected, Path f) {
    assertThat(actual.linesRead()).isEqualTo(expected.linesRead());
    assertThat(actual.records()).isEqualTo(expected.records());
    assertThat(actual.skippedLines()).isEqualTo(expected.skippedLines());
    assertThat(actual.defects()).containsExactlyEntriesOf(expected.defects());
    assertThat(actual.firstDefects()).containsExactlyEntriesOf(expected.firstDefects());
    assertThat(actual.unknownHistoryRefs()).isEqualTo(expected.unknownHistoryRefs());
    assertThat(actual.unknownCandidateRefs()).isEqualTo(expected.unknownCandidateRefs());
    assertThat(actual.unknownIds()).isEqualTo(expected.unknownIds());
    assertThat(actual.notes()).isEqualTo(expected.notes());
    assertThat(actual.summary(f.toString())).isEqualTo(expected.summary(f.toString()));
  }
}
