package dev.newsrec.core.mind;

import dev.newsrec.core.data.DataFormatException;
import dev.newsrec.core.data.IdIndex;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.News;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.core.mind.MindLines.Defect;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads MIND's news.tsv and behaviors.tsv (reference.md section 1), streaming, one line at a time,
 * each line parsed by {@link MindLines} (the rules the Spark reader shares). Every bad line is a
 * {@link DataFormatException} naming file, line and field; with {@link ReadOptions#lenient()} it
 * is skipped and counted in the {@link ReadReport} instead.
 */
public final class MindReader {
  private MindReader() {}

  /** Reads a news.tsv into a new corpus. */
  public static NewsCorpus readNews(Path file, ReadOptions options, ReadReport report) {
    NewsCorpus corpus = new NewsCorpus();
    readNews(file, corpus, options, report);
    return corpus;
  }

  /**
   * Adds the news of a news.tsv to corpus. An id twice in this file is a defect; an id an earlier
   * file gave (MIND's splits share news) keeps its first row, and a different row is reported.
   */
  public static void readNews(Path file, NewsCorpus corpus, ReadOptions options, ReadReport report) {
    FirstLines seen = new FirstLines();
    try (BufferedReader in = open(file, report)) {
      String line;
      long no = 0;
      while ((line = in.readLine()) != null) {
        no++;
        report.line();
        try {
          News news = MindLines.news(line);
          String id = news.id();
          long first = seen.line(id);
          if (first > 0) {
            throw new Defect("NewsID", ReadReport.DUPLICATE_NEWS, "duplicate news id " + id
                + " (first on line " + first + ")");
          }
          int earlier = corpus.indexOf(id);
          if (earlier >= 0 && !corpus.get(earlier).equals(news)) {
            report.conflictingNews(file + ":" + no + ": news id " + id
                + " differs from its row in a news.tsv read before");
          }
          corpus.add(news);
          seen.add(id, no);
          report.record();
        } catch (Defect e) {
          fail(file, no, e, options, report);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (seen.size() == 0) empty(file, "no news", options, report);
  }

  /** The 1-based line on which each id of a file was first accepted, to name it in duplicates. */
  static final class FirstLines {
    private final IdIndex ids = new IdIndex();
    private int[] lines = new int[1024];

    /** The line of id, or 0 when not seen. */
    long line(String id) {
      int i = ids.get(id);
      return i < 0 ? 0 : lines[i];
    }

    void add(String id, long line) {
      int i = ids.add(id);
      if (i == lines.length) lines = Arrays.copyOf(lines, i * 2);
      lines[i] = (int) line;
    }

    int size() { return ids.size(); }
  }

  /** A file without a single row: strict mode stops, lenient counts it (the caller decides). */
  static void empty(Path file, String problem, ReadOptions options, ReadReport report) {
    DataFormatException error = new DataFormatException(file, 0, null, problem + " (empty file)");
    if (!options.lenient()) throw error;
    report.defect(ReadReport.EMPTY_FILE, error.getMessage());
  }

  /**
   * Reads a behaviors.tsv. News ids are resolved against corpus: unknown history entries are
   * dropped and counted; an unknown candidate is an error (lenient: the impression is skipped).
   * With a null corpus, news are known by id only and every id is accepted (for evaluation).
   * Labels: all candidates of a file carry {@code -0}/{@code -1}, or none do (MIND-large test).
   */
  public static Impressions readBehaviors(Path file, NewsCorpus corpus, ReadOptions options,
      ReadReport report) {
    return readBehaviors(file, corpus, options, report, defaultThreads(), DEFAULT_BLOCK_BYTES);
  }

  /** Bytes per block of the parallel reader: a few thousand MIND lines. */
  public static final int DEFAULT_BLOCK_BYTES = 4 << 20;

  /** Parser threads: the system property newsrec.read.threads, else one per core. */
  public static int defaultThreads() {
    String p = System.getProperty("newsrec.read.threads");
    return p != null ? Integer.parseInt(p.trim()) : Runtime.getRuntime().availableProcessors();
  }

  /**
   * {@link #readBehaviors(Path, NewsCorpus, ReadOptions, ReadReport)} with threads parser threads
   * over blocks of about blockBytes (1 thread: the sequential line-by-line reader). Both give the
   * same impressions, messages and report.
   */
  public static Impressions readBehaviors(Path file, NewsCorpus corpus, ReadOptions options,
      ReadReport report, int threads, int blockBytes) {
    if (threads > 1) return BehaviorBlocks.read(file, corpus, options, report, threads, blockBytes);
    return readBehaviorsSequential(file, corpus, options, report);
  }

  private static Impressions readBehaviorsSequential(Path file, NewsCorpus corpus,
      ReadOptions options, ReadReport report) {
    boolean open = corpus == null;
    NewsCorpus news = open ? new NewsCorpus() : corpus;
    Impressions.Builder out = Impressions.builder(news);
    MindLines.Behavior b = new MindLines.Behavior();
    int[] history = new int[256];
    int[] cands = new int[512];
    byte[] labels = new byte[512];
    Boolean fileLabelled = null;
    FirstLines seen = new FirstLines();
    try (BufferedReader in = open(file, report)) {
      String line;
      long no = 0;
      while ((line = in.readLine()) != null) {
        no++;
        report.line();
        try {
          MindLines.behavior(line, b, options.lenient());
          String impressionId = b.impressionId();
          long first = seen.line(impressionId);
          if (first > 0) {
            throw new Defect("ImpressionID", ReadReport.DUPLICATE_IMPRESSION,
                "duplicate impression id " + impressionId + " (first on line " + first + ")");
          }
          int h = 0;
          for (int i = 0; i < b.historyCount(); i++) {
            int idx = resolve(news, open, line, b.historyStart(i), b.historyEnd(i));
            if (idx < 0) {
              report.unknownHistory(b.historyId(i));
              continue;
            }
            if (h == history.length) history = Arrays.copyOf(history, h * 2);
            history[h++] = idx;
          }
          int c = 0;
          String unknown = null;
          for (int j = 0; j < b.candidateCount(); j++) {
            int idx = resolve(news, open, line, b.candidateStart(j), b.candidateEnd(j));
            if (idx < 0) {
              report.unknownCandidate(b.candidateId(j));
              if (unknown == null) unknown = b.candidateId(j);
              continue;
            }
            if (c == cands.length) {
              cands = Arrays.copyOf(cands, c * 2);
              labels = Arrays.copyOf(labels, c * 2);
            }
            cands[c] = idx;
            labels[c++] = b.label(j);
          }
          if (unknown != null) {
            throw new Defect("Impressions", "unknown news id '" + unknown
                + "' (not in the news.tsv files read)");
          }
          if (fileLabelled == null) fileLabelled = b.labelled();
          if (fileLabelled != b.labelled()) {
            throw new Defect("Impressions", fileLabelled
                ? "candidates without labels in a labelled file"
                : "candidates with labels in a file whose first line has none");
          }
          // Lenient: the first occurrence of a repeated candidate stays, the repeat is dropped.
          for (String problem : b.repeats()) {
            report.defect(ReadReport.DUPLICATE_CANDIDATE,
                new DataFormatException(file, no, "Impressions", problem).getMessage());
          }
          out.add(impressionId, b.userId(), b.time(), Arrays.copyOf(history, h),
              Arrays.copyOf(cands, c), Arrays.copyOf(labels, c));
          seen.add(impressionId, no);
          report.record();
        } catch (Defect e) {
          fail(file, no, e, options, report);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (seen.size() == 0) empty(file, "no impressions", options, report);
    return out.build();
  }

  private static int resolve(NewsCorpus news, boolean open, String line, int s, int e) {
    int idx = news.indexOf(line, s, e);
    if (idx < 0 && open) idx = news.add(News.of(line.substring(s, e), "", "", ""));
    return idx;
  }

  static void fail(Path file, long no, Defect e, ReadOptions options, ReadReport report) {
    DataFormatException error = new DataFormatException(file, no, e.field(), e.getMessage());
    if (!options.lenient()) throw error;
    report.skip(e.defect(), error.getMessage());
  }

  /** Opens a UTF-8 file; a byte order mark (Windows editors write one) is dropped with a note. */
  static BufferedReader open(Path file, ReadReport report) throws IOException {
    BufferedReader in;
    try {
      in = new BufferedReader(
          new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8), 1 << 16);
    } catch (NoSuchFileException e) {
      throw new DataFormatException(file, 0, null, "no such file");
    }
    in.mark(1);
    if (in.read() == '\uFEFF') {
      report.note("removed the UTF-8 byte order mark at the start");
    } else {
      in.reset();
    }
    return in;
  }

  /**
   * Reads an entity_embedding.vec / relation_embedding.vec: {@code Q123<TAB>v1<TAB>...<TAB>vD},
   * trailing tab allowed. Every line must have the dimension of the first.
   */
  public static dev.newsrec.core.data.EntityEmbeddings readVectors(Path file, ReadOptions options,
      ReadReport report) {
    dev.newsrec.core.data.IdIndex ids = new dev.newsrec.core.data.IdIndex();
    float[] values = new float[1 << 16];
    int size = 0;
    int dim = -1;
    long dimLine = 0;
    try (BufferedReader in = open(file, report)) {
      String line;
      long no = 0;
      List<String> parts = new ArrayList<>();
      while ((line = in.readLine()) != null) {
        no++;
        report.line();
        try {
          if (MindLines.isBlank(line)) throw Defect.blank();
          parts.clear();
          int end = line.length();
          while (end > 0 && (line.charAt(end - 1) == '\t' || line.charAt(end - 1) == '\r')) end--;
          for (int s = 0, e; s <= end; s = e + 1) {
            e = MindLines.indexOf(line, '\t', s, end);
            parts.add(line.substring(s, e));
          }
          if (parts.get(0).isEmpty()) throw new Defect("id", "empty id");
          int d = parts.size() - 1;
          if (d < 1) throw new Defect("vector", "no values after the id");
          if (dim < 0) {
            dim = d;
            dimLine = no;
          }
          if (d != dim) {
            throw new Defect("vector", "expected " + dim + " values as on line " + dimLine
                + ", found " + d);
          }
          if (ids.get(parts.get(0)) >= 0) throw new Defect("id", "duplicate id " + parts.get(0));
          if ((size + 1) * dim > values.length) values = Arrays.copyOf(values, Math.max(values.length * 2, (size + 1) * dim));
          for (int k = 0; k < dim; k++) {
            try {
              values[size * dim + k] = Float.parseFloat(parts.get(k + 1));
            } catch (NumberFormatException ex) {
              throw new Defect("value " + (k + 1), "not a number: '" + parts.get(k + 1) + "'");
            }
          }
          ids.add(parts.get(0));
          size++;
          report.record();
        } catch (Defect e) {
          fail(file, no, e, options, report);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return new dev.newsrec.core.data.EntityEmbeddings(ids, Arrays.copyOf(values, size * Math.max(dim, 0)), Math.max(dim, 0));
  }
}
