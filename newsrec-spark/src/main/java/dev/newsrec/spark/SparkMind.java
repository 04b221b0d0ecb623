package dev.newsrec.spark;

import dev.newsrec.core.data.DataFormatException;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.core.mind.MindLines;
import dev.newsrec.core.mind.MindLines.Defect;
import dev.newsrec.core.mind.ReadOptions;
import dev.newsrec.core.mind.ReadReport;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * MIND's news.tsv and behaviors.tsv read on Spark with the single-machine reader's strictness
 * ({@link dev.newsrec.core.mind.MindReader}): every line is parsed by {@link MindLines} on the
 * executors, and the cross-line rules are applied the same way, so both readers accept the same
 * lines and name the same first error (file, 1-based line, field). In lenient mode bad lines are
 * skipped and counted in a {@link ReadReport} built on the driver.
 *
 * <p>The sequential reader's cross-line rules depend on which earlier lines it accepted. Here they
 * are resolved without a sequential pass: a line is acceptable on its own when it parses and all
 * its candidates are known; the file's labelling is the labelling of the first such line (it is
 * never a duplicate, having no accepted line before it); an impression id's first accepted line is
 * its first acceptable line that also has the file's labelling. A line naming an id whose first
 * accepted line comes earlier is a duplicate: that is the sequential reader's verdict line by line.
 */
public final class SparkMind {
  private SparkMind() {}

  /** Partitions of a text file read by Spark: at least the default parallelism. */
  static int partitions(JavaSparkContext sc) {
    return Math.max(2, sc.defaultParallelism());
  }

  /**
   * A Spark setting: the size of a file's blocks in bytes (default: the file split into at least
   * the default parallelism, in blocks of 64 KB to 32 MB); tests set it small to get many blocks.
   */
  static final String BLOCK_BYTES = "spark.newsrec.read.blockBytes";

  private static JavaRDD<String> lines(JavaSparkContext sc, Path file) {
    if (sc.getConf().contains(BLOCK_BYTES)) {
      return TextBlocks.lines(sc, file, Integer.MAX_VALUE, sc.getConf().getInt(BLOCK_BYTES, 1 << 16));
    }
    return TextBlocks.lines(sc, file, partitions(sc), 1 << 16);
  }

  // ---------------------------------------------------------------------------------- news.tsv

  /**
   * The news of one news.tsv: accepted rows in file order (the corpus order of
   * {@code MindReader.readNews}), each as its id and its raw line, which executors parse again into
   * their own corpus ({@link #corpus}).
   */
  public record NewsRead(List<String> ids, List<String> lines, ReadReport report) implements Serializable {
    public int size() { return ids.size(); }
  }

  /** A corpus of the lines of a {@link NewsRead} (the same news, in the same order). */
  public static NewsCorpus corpus(List<String> lines) {
    NewsCorpus corpus = new NewsCorpus();
    for (String line : lines) corpus.add(MindLines.news(line));
    return corpus;
  }

  /** One parsed news line: its id and line, or its defect. */
  private record NewsLine(long line, String id, String text, String field, String defect, String problem)
      implements Serializable {}

  /**
   * Reads a news.tsv: lines parsed on the executors, the accepted ones collected in file order (a
   * corpus fits on the driver: MIND-large has 161,013 news); an id repeated within the file is a
   * defect, as in the single-machine reader.
   */
  public static NewsRead news(JavaSparkContext sc, Path file, ReadOptions options) {
    ReadReport report = new ReadReport();
    requireFile(file);
    JavaRDD<NewsLine> parsed = lines(sc, file).zipWithIndex().map(t -> {
      long no = t._2() + 1;
      String line = t._2() == 0 ? withoutBom(t._1()) : t._1();
      try {
        return new NewsLine(no, MindLines.news(line).id(), line, null, null, null);
      } catch (Defect e) {
        return new NewsLine(no, null, line, e.field(), e.defect(), e.getMessage());
      }
    });
    List<NewsLine> all = parsed.collect();
    if (hasBom(file)) report.note("removed the UTF-8 byte order mark at the start");
    Map<String, Long> seen = new HashMap<>();
    List<String> ids = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (NewsLine n : all) {
      report.line();
      String field = n.field();
      String defect = n.defect();
      String problem = n.problem();
      if (problem == null) {
        Long first = seen.get(n.id());
        if (first == null) {
          seen.put(n.id(), n.line());
          ids.add(n.id());
          lines.add(n.text());
          report.record();
          continue;
        }
        field = "NewsID";
        defect = ReadReport.DUPLICATE_NEWS;
        problem = "duplicate news id " + n.id() + " (first on line " + first + ")";
      }
      DataFormatException error = new DataFormatException(file, n.line(), field, problem);
      if (!options.lenient()) throw error;
      report.skip(defect, error.getMessage());
    }
    if (ids.isEmpty()) empty(file, "no news", options, report);
    return new NewsRead(List.copyOf(ids), List.copyOf(lines), report);
  }

  // ----------------------------------------------------------------------------- behaviors.tsv

  /**
   * One accepted impression. Against a corpus: history (unknown entries dropped) and candidates
   * as corpus indices. Without one (evaluation), ids are not resolved: history and candidates are
   * null and only the history's length is kept.
   */
  public static final class Impression implements Serializable {
    private static final long serialVersionUID = 1L;
    public final long line;
    public final String id;
    public final String user;
    public final long time;
    public final int[] history;
    public final int historyLength;
    public final int[] candidates;
    public final byte[] labels;

    Impression(long line, String id, String user, long time, int[] history, int historyLength,
        int[] candidates, byte[] labels) {
      this.line = line;
      this.id = id;
      this.user = user;
      this.time = time;
      this.history = history;
      this.historyLength = historyLength;
      this.candidates = candidates;
      this.labels = labels;
    }
  }

  /**
   * A behaviors.tsv read: the accepted impressions in file order (a Spark dataset computed from
   * the parsed lines, kept in memory and on disk until {@link #release}), how many, whether the file
   * is labelled, and the reader's report.
   */
  public static final class BehaviorsRead {
    private final JavaRDD<Parsed> parsed;
    private final JavaRDD<Impression> impressions;
    private final long count;
    private final boolean labelled;
    private final ReadReport report;

    BehaviorsRead(JavaRDD<Parsed> parsed, JavaRDD<Impression> impressions, long count, boolean labelled,
        ReadReport report) {
      this.parsed = parsed;
      this.impressions = impressions;
      this.count = count;
      this.labelled = labelled;
      this.report = report;
    }

    public JavaRDD<Impression> impressions() { return impressions; }

    public long count() { return count; }

    public boolean labelled() { return labelled; }

    public ReadReport report() { return report; }

    /** Drops the parsed lines Spark keeps for {@link #impressions()}. */
    public void release() { parsed.unpersist(true); }
  }

  /** One line of behaviors.tsv after {@link MindLines#behavior}: its fields, or its defect. */
  static final class Parsed implements Serializable {
    private static final long serialVersionUID = 1L;
    long line;
    String field;
    String defect;
    String problem;
    String id;
    String user;
    long time;
    int[] history;
    int historyLength;
    int[] candidates;
    byte[] labels;
    boolean labelled;
    String[] unknownHistory;
    String[] unknownCandidates;
    String[] repeats;

    boolean parsedOk() { return problem == null; }

    /** Parses and its candidates are all known: whether it is accepted then depends on other lines. */
    boolean acceptableAlone() { return problem == null && unknownCandidates.length == 0; }
  }

  private static final String[] NONE = new String[0];

  /**
   * Reads a behaviors.tsv. With news (id to corpus index, broadcast to the executors) ids are
   * resolved: unknown history entries are dropped and counted, an unknown candidate makes the line
   * a defect. With null news every id is accepted (for evaluation). Labels: every line of a file
   * labelled or none, the first line deciding.
   *
   * @throws DataFormatException in strict mode, for the first bad line (the single-machine reader's
   *     message)
   */
  public static BehaviorsRead behaviors(JavaSparkContext sc, Path file, Broadcast<Map<String, Integer>> news,
      ReadOptions options) {
    requireFile(file);
    boolean lenient = options.lenient();
    JavaRDD<Parsed> parsed = lines(sc, file).zipWithIndex()
        .mapPartitions(it -> parseBehaviors(it, news == null ? null : news.value(), lenient))
        .persist(StorageLevel.MEMORY_AND_DISK());

    // the file's labelling: that of the first line acceptable on its own (line * 2 + labelled)
    long first = parsed.filter(Parsed::acceptableAlone).map(p -> p.line * 2 + (p.labelled ? 1 : 0))
        .fold(Long.MAX_VALUE, Math::min);
    Boolean fileLabelled = first == Long.MAX_VALUE ? null : (first & 1) == 1;

    // ids on more than one parsed line, with the first line that is accepted for them
    Map<String, Long> repeated = new HashMap<>(parsed.filter(Parsed::parsedOk).mapToPair(p -> new Tuple2<>(p.id,
            new long[] {acceptable(p, fileLabelled) ? p.line : Long.MAX_VALUE, 1}))
        .reduceByKey((a, b) -> new long[] {Math.min(a[0], b[0]), a[1] + b[1]})
        .filter(t -> t._2()[1] > 1 && t._2()[0] != Long.MAX_VALUE)
        .mapValues(v -> v[0]).collectAsMap());
    Broadcast<Map<String, Long>> firstLines = sc.broadcast(repeated);

    String name = file.toString();
    List<Tally> tallies = parsed.mapPartitions(it -> {
      Tally t = new Tally();
      while (it.hasNext()) classify(it.next(), fileLabelled, firstLines.value(), name, t);
      return List.of(t).iterator();
    }).collect();
    Tally total = new Tally();
    for (Tally t : tallies) total.merge(t);
    if (!lenient && total.firstError != null) {
      parsed.unpersist(true);
      throw new DataFormatException(file, total.firstErrorLine, total.firstErrorField, total.firstError);
    }
    ReadReport report = total.report(hasBom(file));
    if (total.records == 0) {
      try {
        empty(file, "no impressions", options, report);
      } catch (DataFormatException e) {
        parsed.unpersist(true);
        throw e;
      }
    }
    JavaRDD<Impression> imps = parsed.flatMap(p -> {
      Impression imp = classify(p, fileLabelled, firstLines.value(), name, null);
      return imp == null ? List.<Impression>of().iterator() : List.of(imp).iterator();
    });
    return new BehaviorsRead(parsed, imps, total.records, Boolean.TRUE.equals(fileLabelled), report);
  }

  private static boolean acceptable(Parsed p, Boolean fileLabelled) {
    return p.acceptableAlone() && fileLabelled != null && p.labelled == fileLabelled;
  }

  private static Iterator<Parsed> parseBehaviors(Iterator<Tuple2<String, Long>> lines, Map<String, Integer> news,
      boolean lenient) {
    MindLines.Behavior b = new MindLines.Behavior();
    return new Iterator<>() {
      @Override public boolean hasNext() { return lines.hasNext(); }

      @Override public Parsed next() {
        Tuple2<String, Long> t = lines.next();
        Parsed p = new Parsed();
        p.line = t._2() + 1;
        String line = t._2() == 0 ? withoutBom(t._1()) : t._1();
        try {
          MindLines.behavior(line, b, lenient);
        } catch (Defect e) {
          p.field = e.field();
          p.defect = e.defect();
          p.problem = e.getMessage();
          return p;
        }
        p.id = b.impressionId();
        p.user = b.userId();
        p.time = b.time();
        p.labelled = b.labelled();
        p.historyLength = b.historyCount();
        p.unknownHistory = NONE;
        p.unknownCandidates = NONE;
        int n = b.candidateCount();
        p.labels = new byte[n];
        for (int j = 0; j < n; j++) p.labels[j] = b.label(j);
        if (news != null) {
          int[] h = new int[b.historyCount()];
          int k = 0;
          List<String> unknown = null;
          for (int i = 0; i < b.historyCount(); i++) {
            Integer idx = news.get(b.historyId(i));
            if (idx == null) {
              if (unknown == null) unknown = new ArrayList<>();
              unknown.add(b.historyId(i));
            } else {
              h[k++] = idx;
            }
          }
          p.history = k == h.length ? h : Arrays.copyOf(h, k);
          p.historyLength = k;
          if (unknown != null) p.unknownHistory = unknown.toArray(NONE);
          p.candidates = new int[n];
          unknown = null;
          for (int j = 0; j < n; j++) {
            Integer idx = news.get(b.candidateId(j));
            if (idx == null) {
              if (unknown == null) unknown = new ArrayList<>();
              unknown.add(b.candidateId(j));
            } else {
              p.candidates[j] = idx;
            }
          }
          if (unknown != null) p.unknownCandidates = unknown.toArray(NONE);
        }
        p.repeats = b.repeats().isEmpty() ? NONE : b.repeats().toArray(NONE);
        return p;
      }
    };
  }

  /**
   * The verdict on one line, as the sequential reader reaches it: the impression when accepted,
   * else null; what it saw goes into tally (when not null).
   */
  private static Impression classify(Parsed p, Boolean fileLabelled, Map<String, Long> firstLines, String file,
      Tally tally) {
    if (tally != null) tally.lines++;
    Defect defect = null;
    if (!p.parsedOk()) {
      defect = new Defect(p.field, p.defect, p.problem);
    } else {
      Long first = firstLines.get(p.id);
      if (first != null && first < p.line) {
        defect = new Defect("ImpressionID", ReadReport.DUPLICATE_IMPRESSION,
            "duplicate impression id " + p.id + " (first on line " + first + ")");
      } else {
        if (tally != null) {
          for (String id : p.unknownHistory) tally.unknown(id, true);
          for (String id : p.unknownCandidates) tally.unknown(id, false);
        }
        if (p.unknownCandidates.length > 0) {
          defect = new Defect("Impressions", "unknown news id '" + p.unknownCandidates[0]
              + "' (not in the news.tsv files read)");
        } else if (p.labelled != fileLabelled) {
          defect = new Defect("Impressions", fileLabelled
              ? "candidates without labels in a labelled file"
              : "candidates with labels in a file whose first line has none");
        }
      }
    }
    if (defect != null) {
      if (tally != null) tally.defect(p.line, defect, true, file);
      return null;
    }
    if (tally != null) {
      tally.records++;
      for (String problem : p.repeats) {
        tally.defect(p.line, new Defect("Impressions", ReadReport.DUPLICATE_CANDIDATE, problem), false, file);
      }
    }
    return new Impression(p.line, p.id, p.user, p.time, p.history, p.historyLength, p.candidates, p.labels);
  }

  /** What one partition saw; merged on the driver into a {@link ReadReport}. */
  static final class Tally implements Serializable {
    private static final long serialVersionUID = 1L;
    long lines;
    long records;
    /** Per defect class: count, first line, the first's message, whether it skips its line. */
    final Map<String, Object[]> classes = new LinkedHashMap<>();
    long unknownHistory;
    long unknownCandidates;
    final Set<String> unknownIds = new HashSet<>();
    long firstErrorLine = Long.MAX_VALUE;
    String firstErrorField;
    String firstError;

    void unknown(String id, boolean history) {
      if (history) unknownHistory++; else unknownCandidates++;
      unknownIds.add(id);
    }

    void defect(long line, Defect d, boolean skip, String file) {
      Object[] c = classes.get(d.defect());
      if (c == null) {
        String message = new DataFormatException(Path.of(file), line, d.field(), d.getMessage()).getMessage();
        classes.put(d.defect(), new Object[] {1L, line, message, skip});
      } else {
        c[0] = (Long) c[0] + 1;
      }
      if (skip && line < firstErrorLine) {
        firstErrorLine = line;
        firstErrorField = d.field();
        firstError = d.getMessage();
      }
    }

    void merge(Tally o) {
      lines += o.lines;
      records += o.records;
      o.classes.forEach((k, v) -> {
        Object[] c = classes.get(k);
        if (c == null) {
          classes.put(k, v.clone());
        } else {
          c[0] = (Long) c[0] + (Long) v[0];
          if ((Long) v[1] < (Long) c[1]) {
            c[1] = v[1];
            c[2] = v[2];
          }
        }
      });
      unknownHistory += o.unknownHistory;
      unknownCandidates += o.unknownCandidates;
      unknownIds.addAll(o.unknownIds);
      if (o.firstErrorLine < firstErrorLine) {
        firstErrorLine = o.firstErrorLine;
        firstErrorField = o.firstErrorField;
        firstError = o.firstError;
      }
    }

    /** The report the sequential reader would have filled: defect classes in the order first seen. */
    ReadReport report(boolean bom) {
      ReadReport r = new ReadReport();
      if (bom) r.note("removed the UTF-8 byte order mark at the start");
      for (long i = 0; i < lines; i++) r.line();
      for (long i = 0; i < records; i++) r.record();
      List<Map.Entry<String, Object[]>> byLine = new ArrayList<>(classes.entrySet());
      byLine.sort((a, b) -> Long.compare((Long) a.getValue()[1], (Long) b.getValue()[1]));
      for (Map.Entry<String, Object[]> e : byLine) {
        Object[] c = e.getValue();
        for (long i = 0; i < (Long) c[0]; i++) {
          if ((Boolean) c[3]) r.skip(e.getKey(), (String) c[2]); else r.defect(e.getKey(), (String) c[2]);
        }
      }
      // the report keeps the count of each kind and the distinct ids: hand every id over at least once
      List<String> ids = new ArrayList<>(unknownIds);
      int k = 0;
      for (long i = 0; i < unknownHistory; i++) r.unknownHistory(ids.get(Math.min(k++, ids.size() - 1)));
      for (long i = 0; i < unknownCandidates; i++) r.unknownCandidate(ids.get(Math.min(k++, ids.size() - 1)));
      return r;
    }
  }

  // -------------------------------------------------------------------------------------- shared

  private static String withoutBom(String line) {
    return !line.isEmpty() && line.charAt(0) == '\uFEFF' ? line.substring(1) : line;
  }

  private static boolean hasBom(Path file) {
    try (var in = Files.newInputStream(file)) {
      byte[] b = in.readNBytes(3);
      return b.length == 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static void requireFile(Path file) {
    if (!Files.exists(file)) throw new DataFormatException(file, 0, null, "no such file");
  }

  /** A file without a single row: strict mode stops, lenient counts it (as the single-machine reader). */
  private static void empty(Path file, String problem, ReadOptions options, ReadReport report) {
    DataFormatException error = new DataFormatException(file, 0, null, problem + " (empty file)");
    if (!options.lenient()) throw error;
    report.defect(ReadReport.EMPTY_FILE, error.getMessage());
  }
}
