package dev.newsrec.core.mind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.newsrec.core.data.DataFormatException;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.News;
import dev.newsrec.core.data.NewsCorpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parallel block reader gives exactly what the sequential line reader gives. */
class ParallelReaderTest {
  @TempDir Path dir;

  private static NewsCorpus corpus(int n) {
    NewsCorpus c = new NewsCorpus();
    for (int i = 0; i < n; i++) c.add(News.of("N" + i, "cat", "sub", "title " + i));
    return c;
  }

  /** Behaviour lines, a share of them bad in every way the reader knows, mixed line ends. */
  private static String behaviors(long seed, int lines, boolean defects, boolean labelled) {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= lines; i++) {
      int kind = defects ? r.nextInt(30) : 99;
      String id = kind == 0 && i > 5 ? String.valueOf(r.nextInt(i - 1) + 1) : String.valueOf(i);
      String user = (r.nextInt(4) == 0 ? "Ü€" : "U") + r.nextInt(lines / 3 + 1); // multi-byte UTF-8
      StringBuilder hist = new StringBuilder();
      int hn = r.nextInt(12);
      for (int k = 0; k < hn; k++) {
        hist.append(k > 0 ? " " : "").append(kind == 1 && k == 0 ? "X" : "N").append(r.nextInt(60));
      }
      StringBuilder cands = new StringBuilder();
      int cn = 1 + r.nextInt(8);
      int cbase = r.nextInt(60);
      for (int k = 0; k < cn; k++) {
        // Distinct ids unless a repeat is wanted (kind 3).
        String nid = kind == 2 && k == cn - 1 ? "X" + k : "N" + ((cbase + 7 * k) % 50);
        if (kind == 3 && k == 1) nid = cands.substring(0, cands.indexOf("-") < 0 ? cands.length() : cands.indexOf("-"));
        boolean lab = labelled != (kind == 4);
        cands.append(k > 0 ? " " : "").append(nid).append(lab ? "-" + r.nextInt(2) : "");
      }
      String time = kind == 5 ? "yesterday" : "11/" + (10 + r.nextInt(5)) + "/2019 "
          + (1 + r.nextInt(12)) + ":0" + r.nextInt(10) + ":3" + r.nextInt(10) + (r.nextBoolean() ? " AM" : " PM");
      String line = id + "\t" + user + "\t" + time + "\t" + hist + "\t" + cands;
      if (kind == 6) line = "  ";
      if (kind == 7) line = id + "\t" + user + "\t" + time;
      if (kind == 8) line = "";
      sb.append(line);
      int end = r.nextInt(10);
      sb.append(end == 0 ? "\r\n" : end == 1 && kind != 8 ? "\r" : "\n");
    }
    return sb.toString();
  }

  private Path write(String name, String text, boolean bom, boolean dropLastNewline)
      throws IOException {
    if (dropLastNewline) text = text.substring(0, text.length() - 1);
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    byte[] bytes = body;
    if (bom) {
      bytes = new byte[body.length + 3];
      bytes[0] = (byte) 0xEF;
      bytes[1] = (byte) 0xBB;
      bytes[2] = (byte) 0xBF;
      System.arraycopy(body, 0, bytes, 3, body.length);
    }
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  private static void assertSame(Impressions a, Impressions b) {
    assertThat(b.size()).isEqualTo(a.size());
    assertThat(b.labelled()).isEqualTo(a.labelled());
    assertThat(b.userCount()).isEqualTo(a.userCount());
    assertThat(b.corpus().size()).isEqualTo(a.corpus().size());
    for (int i = 0; i < a.size(); i++) {
      assertThat(b.impressionId(i)).isEqualTo(a.impressionId(i));
      assertThat(b.userId(i)).isEqualTo(a.userId(i));
      assertThat(b.userIndex(i)).isEqualTo(a.userIndex(i));
      assertThat(b.time(i)).isEqualTo(a.time(i));
      assertThat(b.history(i)).as("history of %s", a.impressionId(i)).isEqualTo(a.history(i));
      assertThat(b.candidateCount(i)).isEqualTo(a.candidateCount(i));
      for (int j = 0; j < a.candidateCount(i); j++) {
        assertThat(b.candidate(i, j)).isEqualTo(a.candidate(i, j));
        assertThat(b.label(i, j)).isEqualTo(a.label(i, j));
      }
    }
    for (int k = 0; k < a.corpus().size(); k++) assertThat(b.corpus().id(k)).isEqualTo(a.corpus().id(k));
  }

  private static void assertSame(ReadReport a, ReadReport b) {
    assertThat(b.linesRead()).isEqualTo(a.linesRead());
    assertThat(b.records()).isEqualTo(a.records());
    assertThat(b.skippedLines()).isEqualTo(a.skippedLines());
    assertThat(b.defects()).isEqualTo(a.defects());
    assertThat(b.firstDefects()).isEqualTo(a.firstDefects());
    assertThat(b.unknownHistoryRefs()).isEqualTo(a.unknownHistoryRefs());
    assertThat(b.unknownCandidateRefs()).isEqualTo(a.unknownCandidateRefs());
    assertThat(b.unknownIds()).isEqualTo(a.unknownIds());
    assertThat(b.notes()).isEqualTo(a.notes());
  }

  @Test
  void lenientWithDefectsMatchesSequentialAcrossSmallBlocks() throws IOException {
    for (long seed = 1; seed <= 4; seed++) {
      Path f = write("b" + seed + ".tsv", behaviors(seed, 3000, true, seed != 3), seed == 2, seed % 2 == 1);
      for (boolean open : new boolean[] {false, true}) {
        ReadReport r1 = new ReadReport();
        Impressions seq = MindReader.readBehaviors(f, open ? null : corpus(50),
            ReadOptions.LENIENT, r1, 1, 0);
        assertThat(r1.defectCount()).as("the file has defects").isGreaterThan(100);
        assertThat(seq.size()).isGreaterThan(1000);
        for (int block : new int[] {64, 1000, 1 << 20}) {
          ReadReport r2 = new ReadReport();
          Impressions par = MindReader.readBehaviors(f, open ? null : corpus(50),
              ReadOptions.LENIENT, r2, 3, block);
          assertSame(seq, par);
          assertSame(r1, r2);
        }
      }
    }
  }

  @Test
  void strictStopsAtTheSameFirstBadLine() throws IOException {
    String clean = behaviors(7, 2000, false, true).replace("\r\n", "\n").replace('\r', '\n');
    String[] lines = clean.split("\n", -1);
    for (int bad : new int[] {1, 2, 777, 1999}) {
      String[] copy = lines.clone();
      copy[bad - 1] = "x\ty\tnot a time\t\tN1-1";
      Path f = write("s" + bad + ".tsv", String.join("\n", copy), false, false);
      Throwable seq = catchThrowable(() -> MindReader.readBehaviors(f, corpus(60),
          ReadOptions.STRICT, new ReadReport(), 1, 0));
      assertThat(seq).isInstanceOf(DataFormatException.class).hasMessageContaining(":" + bad + ":");
      for (int block : new int[] {50, 4096}) {
        assertThatThrownBy(() -> MindReader.readBehaviors(f, corpus(60), ReadOptions.STRICT,
            new ReadReport(), 2, block)).isInstanceOf(DataFormatException.class)
            .hasMessage(seq.getMessage());
      }
    }
    // Defects of every kind: the first in the file wins, with the same message.
    Path f = write("d.tsv", behaviors(9, 3000, true, true), false, false);
    Throwable seq = catchThrowable(() -> MindReader.readBehaviors(f, corpus(50),
        ReadOptions.STRICT, new ReadReport(), 1, 0));
    assertThat(seq).isInstanceOf(DataFormatException.class);
    assertThatThrownBy(() -> MindReader.readBehaviors(f, corpus(50), ReadOptions.STRICT,
        new ReadReport(), 4, 100)).hasMessage(seq.getMessage());
  }

  @Test
  void cleanFileStrictMatchesAndEmptyFileIsReported() throws IOException {
    Path f = write("c.tsv", behaviors(11, 5000, false, true), true, true);
    ReadReport r1 = new ReadReport();
    ReadReport r2 = new ReadReport();
    Impressions seq = MindReader.readBehaviors(f, corpus(60), ReadOptions.STRICT, r1, 1, 0);
    Impressions par = MindReader.readBehaviors(f, corpus(60), ReadOptions.STRICT, r2, 2, 333);
    assertThat(seq.size()).isEqualTo(5000);
    assertSame(seq, par);
    assertSame(r1, r2);
    assertThat(r2.notes()).containsExactly("removed the UTF-8 byte order mark at the start");

    Path empty = write("e.tsv", "\n", false, true);
    assertThatThrownBy(() -> MindReader.readBehaviors(empty, corpus(5), ReadOptions.STRICT,
        new ReadReport(), 2, 64)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("no impressions (empty file)");
    assertThatThrownBy(() -> MindReader.readBehaviors(dir.resolve("missing.tsv"), corpus(5),
        ReadOptions.STRICT, new ReadReport(), 2, 64)).hasMessageContaining("no such file");
  }
}
