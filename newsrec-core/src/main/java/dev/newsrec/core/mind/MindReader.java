package dev.newsrec.core.mind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.newsrec.core.data.DataFormatException;
import dev.newsrec.core.data.Entity;
import dev.newsrec.core.data.IdIndex;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.News;
import dev.newsrec.core.data.NewsCorpus;
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
 * Reads MIND's news.tsv and behaviors.tsv (reference.md section 1), streaming, one line at a time.
 * Every bad line is a {@link DataFormatException} naming file, line and field; with
 * {@link ReadOptions#lenient()} it is skipped and counted in the {@link ReadReport} instead.
 */
public final class MindReader {
  static final String[] NEWS_COLUMNS = {"NewsID", "Category", "SubCategory", "Title", "Abstract",
      "URL", "TitleEntities", "AbstractEntities"};
  static final String[] BEHAVIOR_COLUMNS = {"ImpressionID", "UserID", "Time", "History",
      "Impressions"};
  private static final ObjectMapper JSON = new ObjectMapper();

  private MindReader() {}

  /** A defect of the current line; caught per line so lenient mode can skip it. */
  private static final class BadLine extends RuntimeException {
    final String field;
    final String defect;

    BadLine(String field, String problem) {
      this(field, field.equals("columns") ? ReadReport.COLUMN_COUNT : "bad " + field, problem);
    }

    BadLine(String field, String defect, String problem) {
      super(problem, null, false, false);
      this.field = field;
      this.defect = defect;
    }

    static BadLine blank() { return new BadLine(null, ReadReport.BLANK_LINE, "blank line"); }
  }

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
      int[] tabs = new int[NEWS_COLUMNS.length + 1];
      while ((line = in.readLine()) != null) {
        no++;
        report.line();
        try {
          if (isBlank(line)) throw BadLine.blank();
          int n = splitTabs(line, tabs, NEWS_COLUMNS.length);
          if (n != NEWS_COLUMNS.length) {
            throw new BadLine("columns", "expected " + NEWS_COLUMNS.length
                + " tab-separated columns (" + String.join(", ", NEWS_COLUMNS) + "), found " + n);
          }
          String id = col(line, tabs, 0);
          if (id.isEmpty()) throw new BadLine("NewsID", "empty news id");
          long first = seen.line(id);
          if (first > 0) {
            throw new BadLine("NewsID", ReadReport.DUPLICATE_NEWS, "duplicate news id " + id
                + " (first on line " + first + ")");
          }
          News news = new News(id, col(line, tabs, 1), col(line, tabs, 2), col(line, tabs, 3),
              col(line, tabs, 4), col(line, tabs, 5), entities(col(line, tabs, 6), "TitleEntities"),
              entities(col(line, tabs, 7), "AbstractEntities"));
          int earlier = corpus.indexOf(id);
          if (earlier >= 0 && !corpus.get(earlier).equals(news)) {
            report.conflictingNews(file + ":" + no + ": news id " + id
                + " differs from its row in a news.tsv read before");
          }
          corpus.add(news);
          seen.add(id, no);
          report.record();
        } catch (BadLine e) {
          fail(file, no, e, options, report);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (seen.size() == 0) empty(file, "no news", options, report);
  }

  /** The 1-based line on which each id of a file was first accepted, to name it in duplicates. */
  private static final class FirstLines {
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
  private static void empty(Path file, String problem, ReadOptions options, ReadReport report) {
    DataFormatException error = new DataFormatException(file, 0, null, problem + " (empty file)");
    if (!options.lenient()) throw error;
    report.defect(ReadReport.EMPTY_FILE, error.getMessage());
  }

  /** Only spaces (and a carriage return): an empty line, not a row with missing columns. */
  static boolean isBlank(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c != ' ' && c != '\r') return false;
    }
    return true;
  }

  /**
   * Reads a behaviors.tsv. News ids are resolved against corpus: unknown history entries are
   * dropped and counted; an unknown candidate is an error (lenient: the impression is skipped).
   * With a null corpus, news are known by id only and every id is accepted (for evaluation).
   * Labels: all candidates of a file carry {@code -0}/{@code -1}, or none do (MIND-large test).
   */
  public static Impressions readBehaviors(Path file, NewsCorpus corpus, ReadOptions options,
      ReadReport report) {
    boolean open = corpus == null;
    NewsCorpus news = open ? new NewsCorpus() : corpus;
    Impressions.Builder out = Impressions.builder(news);
    int[] tabs = new int[BEHAVIOR_COLUMNS.length + 1];
    int[] history = new int[256];
    int[] cands = new int[512];
    byte[] labels = new byte[512];
    Boolean fileLabelled = null;
    FirstLines seen = new FirstLines();
    // seenIn[news] == line number when news is already a candidate of the impression on that line.
    int[] seenIn = new int[Math.max(news.size(), 1024)];
    try (BufferedReader in = open(file, report)) {
      String line;
      long no = 0;
      while ((line = in.readLine()) != null) {
        no++;
        report.line();
        try {
          if (isBlank(line)) throw BadLine.blank();
          int n = splitTabs(line, tabs, BEHAVIOR_COLUMNS.length);
          if (n != BEHAVIOR_COLUMNS.length) {
            throw new BadLine("columns", "expected " + BEHAVIOR_COLUMNS.length
                + " tab-separated columns (" + String.join(", ", BEHAVIOR_COLUMNS) + "), found " + n);
          }
          String impressionId = col(line, tabs, 0);
          if (impressionId.isEmpty()) throw new BadLine("ImpressionID", "empty impression id");
          long first = seen.line(impressionId);
          if (first > 0) {
            throw new BadLine("ImpressionID", ReadReport.DUPLICATE_IMPRESSION,
                "duplicate impression id " + impressionId + " (first on line " + first + ")");
          }
          if (tabs[2] - tabs[1] - 1 <= 0) throw new BadLine("UserID", "empty user id");
          long time = MindTime.parse(line, tabs[2] + 1, tabs[3]);
          if (time == Long.MIN_VALUE) {
            throw new BadLine("Time", "expected a time like 11/15/2019 10:22:32 AM, found '"
                + col(line, tabs, 2) + "'");
          }
          // History: space separated ids, oldest first, may be empty.
          int h = 0;
          for (int s = tabs[3] + 1, e; s < tabs[4]; s = e + 1) {
            e = indexOf(line, ' ', s, tabs[4]);
            if (e == s) continue;
            int idx = resolve(news, open, line, s, e);
            if (idx < 0) {
              report.unknownHistory(line.substring(s, e));
              continue;
            }
            if (h == history.length) history = Arrays.copyOf(history, h * 2);
            history[h++] = idx;
          }
          // Impressions: NewsID-label tokens.
          int c = 0;
          Boolean lineLabelled = null;
          String unknown = null;
          for (int s = tabs[4] + 1, e; s < tabs[5]; s = e + 1) {
            e = indexOf(line, ' ', s, tabs[5]);
            if (e == s) continue;
            int dash = lastIndexOf(line, '-', s, e);
            boolean hasLabel = dash > s && dash == e - 2;
            if (dash >= 0 && !hasLabel) {
              throw new BadLine("Impressions", "expected NewsID-label with label 0 or 1, found '"
                  + line.substring(s, e) + "'");
            }
            if (lineLabelled == null) lineLabelled = hasLabel;
            if (lineLabelled != hasLabel) {
              throw new BadLine("Impressions", "some candidates have labels and some do not ('"
                  + line.substring(s, e) + "')");
            }
            byte label = Impressions.NO_LABEL;
            int idEnd = e;
            if (hasLabel) {
              char l = line.charAt(e - 1);
              if (l != '0' && l != '1') {
                throw new BadLine("Impressions", "label must be 0 or 1, found '"
                    + line.substring(s, e) + "'");
              }
              label = (byte) (l - '0');
              idEnd = dash;
            }
            int idx = resolve(news, open, line, s, idEnd);
            if (idx < 0) {
              report.unknownCandidate(line.substring(s, idEnd));
              if (unknown == null) unknown = line.substring(s, idEnd);
              continue;
            }
            if (idx >= seenIn.length) seenIn = Arrays.copyOf(seenIn, Math.max(idx + 1, seenIn.length * 2));
            if (seenIn[idx] == (int) no) {
              String problem = "candidate " + line.substring(s, idEnd)
                  + " appears more than once in this impression";
              if (!options.lenient()) {
                throw new BadLine("Impressions", ReadReport.DUPLICATE_CANDIDATE, problem);
              }
              // Lenient: the first occurrence stays, the repeat is dropped.
              report.defect(ReadReport.DUPLICATE_CANDIDATE,
                  new DataFormatException(file, no, "Impressions", problem).getMessage());
              continue;
            }
            seenIn[idx] = (int) no;
            if (c == cands.length) {
              cands = Arrays.copyOf(cands, c * 2);
              labels = Arrays.copyOf(labels, c * 2);
            }
            cands[c] = idx;
            labels[c++] = label;
          }
          if (unknown != null) {
            throw new BadLine("Impressions", "unknown news id '" + unknown
                + "' (not in the news.tsv files read)");
          }
          if (c == 0) throw new BadLine("Impressions", "no candidates");
          if (fileLabelled == null) fileLabelled = lineLabelled;
          if (!fileLabelled.equals(lineLabelled)) {
            throw new BadLine("Impressions", fileLabelled
                ? "candidates without labels in a labelled file"
                : "candidates with labels in a file whose first line has none");
          }
          out.add(impressionId, col(line, tabs, 1), time, Arrays.copyOf(history, h),
              Arrays.copyOf(cands, c), Arrays.copyOf(labels, c));
          seen.add(impressionId, no);
          report.record();
        } catch (BadLine e) {
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

  private static List<Entity> entities(String json, String field) {
    if (json.isEmpty() || json.equals("[]")) return List.of();
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new BadLine(field, "bad JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isArray()) throw new BadLine(field, "expected a JSON list of entities");
    List<Entity> out = new ArrayList<>(root.size());
    for (JsonNode e : root) {
      if (!e.isObject()) throw new BadLine(field, "expected entity objects in the JSON list");
      JsonNode id = e.get("WikidataId");
      if (id == null || !id.isTextual() || id.asText().isEmpty()) {
        throw new BadLine(field, "entity without a WikidataId: " + e);
      }
      List<Integer> offsets = new ArrayList<>();
      JsonNode off = e.get("OccurrenceOffsets");
      if (off != null && off.isArray()) off.forEach(o -> offsets.add(o.asInt()));
      List<String> forms = new ArrayList<>();
      JsonNode sf = e.get("SurfaceForms");
      if (sf != null && sf.isArray()) sf.forEach(o -> forms.add(o.asText()));
      JsonNode conf = e.get("Confidence");
      out.add(new Entity(text(e, "Label"), text(e, "Type"), id.asText(),
          conf == null ? 0.0 : conf.asDouble(), offsets, forms));
    }
    return out;
  }

  private static String text(JsonNode e, String key) {
    JsonNode v = e.get(key);
    return v == null || v.isNull() ? "" : v.asText();
  }

  private static void fail(Path file, long no, BadLine e, ReadOptions options, ReadReport report) {
    DataFormatException error = new DataFormatException(file, no, e.field, e.getMessage());
    if (!options.lenient()) throw error;
    report.skip(e.defect, error.getMessage());
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
   * Fills tabs with column boundaries: column i is line[tabs[i] + 1, tabs[i + 1]) with tabs[0] = -1.
   * Returns the column count (stops counting past max + 1). A trailing '\r' is ignored.
   */
  static int splitTabs(String line, int[] tabs, int max) {
    int end = line.length();
    if (end > 0 && line.charAt(end - 1) == '\r') end--;
    tabs[0] = -1;
    int n = 0;
    int p = 0;
    while (true) {
      int t = indexOf(line, '\t', p, end);
      n++;
      if (n <= max) tabs[n] = t;
      if (t == end) return n;
      p = t + 1;
    }
  }

  static String col(String line, int[] tabs, int i) {
    return line.substring(tabs[i] + 1, tabs[i + 1]);
  }

  static int indexOf(String s, char c, int from, int to) {
    int i = s.indexOf(c, from);
    return i < 0 || i > to ? to : i;
  }

  private static int lastIndexOf(String s, char c, int from, int to) {
    for (int i = to - 1; i >= from; i--) if (s.charAt(i) == c) return i;
    return -1;
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
          if (isBlank(line)) throw BadLine.blank();
          parts.clear();
          int end = line.length();
          while (end > 0 && (line.charAt(end - 1) == '\t' || line.charAt(end - 1) == '\r')) end--;
          for (int s = 0, e; s <= end; s = e + 1) {
            e = indexOf(line, '\t', s, end);
            parts.add(line.substring(s, e));
          }
          if (parts.get(0).isEmpty()) throw new BadLine("id", "empty id");
          int d = parts.size() - 1;
          if (d < 1) throw new BadLine("vector", "no values after the id");
          if (dim < 0) {
            dim = d;
            dimLine = no;
          }
          if (d != dim) {
            throw new BadLine("vector", "expected " + dim + " values as on line " + dimLine
                + ", found " + d);
          }
          if (ids.get(parts.get(0)) >= 0) throw new BadLine("id", "duplicate id " + parts.get(0));
          if ((size + 1) * dim > values.length) values = Arrays.copyOf(values, Math.max(values.length * 2, (size + 1) * dim));
          for (int k = 0; k < dim; k++) {
            try {
              values[size * dim + k] = Float.parseFloat(parts.get(k + 1));
            } catch (NumberFormatException ex) {
              throw new BadLine("value " + (k + 1), "not a number: '" + parts.get(k + 1) + "'");
            }
          }
          ids.add(parts.get(0));
          size++;
          report.record();
        } catch (BadLine e) {
          fail(file, no, e, options, report);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return new dev.newsrec.core.data.EntityEmbeddings(ids, Arrays.copyOf(values, size * Math.max(dim, 0)), Math.max(dim, 0));
  }
}
