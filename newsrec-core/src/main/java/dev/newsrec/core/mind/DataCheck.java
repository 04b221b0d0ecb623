package dev.newsrec.core.mind;

import dev.newsrec.core.data.EntityEmbeddings;
import dev.newsrec.core.data.Entity;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.News;
import dev.newsrec.core.data.NewsCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Validates MIND split folders and describes them. Files are read leniently so that every defect
 * is counted, by file and class, instead of stopping at the first; the caller decides what fails.
 * News ids missing from the folder's own news.tsv are looked up in sibling split folders (e.g.
 * ../train when checking ../dev) and reported, not treated as errors; ids found nowhere are defects.
 */
public final class DataCheck {
  private DataCheck() {}

  /** Min, quartiles, p90, p99, max and mean of a distribution of counts. */
  public record Distribution(long n, int min, int p50, int p90, int p99, int max, double mean, long zeros) {
    static Distribution of(int[] values, int n) {
      if (n == 0) return new Distribution(0, 0, 0, 0, 0, 0, 0, 0);
      int[] v = Arrays.copyOf(values, n);
      Arrays.sort(v);
      long sum = 0;
      long zeros = 0;
      for (int x : v) {
        sum += x;
        if (x == 0) zeros++;
      }
      return new Distribution(n, v[0], v[(int) (0.5 * (n - 1))], v[(int) (0.9 * (n - 1))],
          v[(int) (0.99 * (n - 1))], v[n - 1], (double) sum / n, zeros);
    }

    @Override public String toString() {
      return String.format(Locale.ROOT, "mean %.1f  min %d  median %d  p90 %d  p99 %d  max %d",
          mean, min, p50, p90, p99, max);
    }
  }

  /** Defect classes no reader can drop: lenient reading does not make the split usable. */
  public static final String NO_CLICKS = "no clicks";
  public static final String VECTOR_DIMENSION = "entity vector dimension differs across splits";
  private static final Set<String> FATAL = Set.of(ReadReport.EMPTY_FILE, NO_CLICKS, VECTOR_DIMENSION);

  /** The defects of one file: counts by class and each class's first message (file, line, field). */
  public record Defects(String file, Map<String, Long> counts, Map<String, String> firsts) {
    static Defects of(String file, String defect, String message) {
      return new Defects(file, Map.of(defect, 1L), Map.of(defect, message));
    }

    public long total() { return counts.values().stream().mapToLong(Long::longValue).sum(); }

    /** The message of the first defect. */
    public String first() { return firsts.values().iterator().next(); }

    /** The message of the first defect lenient reading cannot drop, or null. */
    public String firstFatal() {
      return firsts.entrySet().stream().filter(e -> FATAL.contains(e.getKey()))
          .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /** Defects that lenient reading cannot drop (an empty file, no clicks, mixed dimensions). */
    public long fatal() {
      return counts.entrySet().stream().filter(e -> FATAL.contains(e.getKey()))
          .mapToLong(Map.Entry::getValue).sum();
    }
  }

  /** What a check found. */
  public record Report(Path dir, int news, int categories, int subCategories, int users,
      int impressions, long candidates, long clicks, boolean labelled, long allNegative,
      long allPositive, Distribution history, Distribution candidatesPerImpression,
      long historyRefsElsewhere, long candidateRefsElsewhere, Set<String> idsElsewhere,
      List<String> siblingsSearched, long unknownHistoryRefs, long unknownCandidateRefs,
      int unknownIds, List<Defects> defects, long conflictingNews, long newsWithTitleEntities,
      int distinctEntities, int entityVectors, int entityDim, int entitiesWithVector,
      List<String> notes) {

    public long defectCount() { return defects.stream().mapToLong(Defects::total).sum(); }

    public long fatalCount() { return defects.stream().mapToLong(Defects::fatal).sum(); }

    /** The message of the first defect, or null. */
    public String firstDefect() { return defects.isEmpty() ? null : defects.get(0).first(); }

    /** The message of the first defect that lenient reading cannot drop, or null. */
    public String firstFatal() {
      return defects.stream().map(Defects::firstFatal).filter(java.util.Objects::nonNull)
          .findFirst().orElse(null);
    }

    public String render() {
      StringBuilder sb = new StringBuilder();
      sb.append(dir).append('\n');
      line(sb, "news", String.format(Locale.ROOT, "%,d (%d categories, %d subcategories)", news,
          categories, subCategories));
      line(sb, "users", String.format(Locale.ROOT, "%,d", users));
      line(sb, "impressions", String.format(Locale.ROOT, "%,d (%s)", impressions,
          labelled ? "labelled" : "unlabelled"));
      line(sb, "candidates", String.format(Locale.ROOT, "%,d", candidates));
      if (labelled) {
        line(sb, "clicks", String.format(Locale.ROOT, "%,d (%.2f%% of candidates)", clicks,
            candidates == 0 ? 0 : 100.0 * clicks / candidates));
        line(sb, "no AUC", String.format(Locale.ROOT,
            "%,d impressions all negative, %,d all positive (skipped by the metrics)", allNegative,
            allPositive));
      }
      line(sb, "history length", history + String.format(Locale.ROOT, "  empty %,d", history.zeros()));
      line(sb, "candidates/impr.", candidatesPerImpression.toString());
      if (historyRefsElsewhere + candidateRefsElsewhere > 0) {
        line(sb, "other splits", String.format(Locale.ROOT,
            "%,d news ids not in this news.tsv but in %s (%,d history, %,d candidate references)",
            idsElsewhere.size(), String.join(", ", siblingsSearched), historyRefsElsewhere,
            candidateRefsElsewhere));
      }
      line(sb, "unknown ids", String.format(Locale.ROOT,
          "%,d (found in no news.tsv: %,d history entries dropped, %,d candidate references)",
          unknownIds, unknownHistoryRefs, unknownCandidateRefs));
      if (conflictingNews > 0) {
        line(sb, "conflicting news", String.format(Locale.ROOT,
            "%,d news ids have a different row in another split's news.tsv (the first read is used)",
            conflictingNews));
      }
      line(sb, "entities", String.format(Locale.ROOT,
          "%,d distinct title entities; %,d news (%.1f%%) have title entities", distinctEntities,
          newsWithTitleEntities, news == 0 ? 0 : 100.0 * newsWithTitleEntities / news));
      line(sb, "entity vectors", entityVectors < 0 ? "no entity_embedding.vec"
          : String.format(Locale.ROOT, "%,d vectors; %,d of %,d title entities covered",
              entityVectors, entitiesWithVector, distinctEntities)
              + (entityVectors > 0 ? ", dimension " + entityDim : ""));
      if (defects.isEmpty()) line(sb, "defects", "none");
      for (Defects d : defects) {
        line(sb, "defects", d.file() + ": " + ReadReport.defectCounts(d.counts()) + " (first: "
            + d.first() + ")");
      }
      for (String n : notes) line(sb, "note", n);
      return sb.toString();
    }

    private static void line(StringBuilder sb, String key, String value) {
      sb.append(String.format(Locale.ROOT, "  %-17s %s%n", key, value));
    }
  }

  /** Checks one split folder. */
  public static Report check(Path dir) {
    return checkAll(List.of(dir)).get(0);
  }

  /** Checks split folders; entity vectors must have one dimension across all of them. */
  public static List<Report> checkAll(List<Path> dirs) {
    List<Report> out = new ArrayList<>();
    Path[] firstVectors = {null};
    int[] firstDim = {-1};
    for (Path dir : dirs) out.add(check(dir, firstVectors, firstDim));
    return out;
  }

  private static Report check(Path dir, Path[] firstVectors, int[] firstDim) {
    // Lenient so that every defect is counted; the caller decides which ones fail the check.
    ReadOptions options = ReadOptions.LENIENT;
    MindFolder folder = MindFolder.of(dir);
    List<String> notes = new ArrayList<>();
    List<Defects> defects = new ArrayList<>();
    ReadReport newsReport = new ReadReport();
    NewsCorpus corpus = MindReader.readNews(folder.news(), options, newsReport);
    int own = corpus.size();
    Set<String> cats = new HashSet<>();
    Set<String> subs = new HashSet<>();
    Set<String> entities = new HashSet<>();
    long withEntities = 0;
    for (News n : corpus.all()) {
      cats.add(n.category());
      subs.add(n.subCategory());
      if (!n.titleEntities().isEmpty()) withEntities++;
      for (Entity e : n.titleEntities()) entities.add(e.wikidataId());
    }
    // Sibling splits: their news are known but counted apart.
    List<String> siblings = new ArrayList<>();
    long conflicting = 0;
    Path parent = dir.toAbsolutePath().normalize().getParent();
    if (parent != null) {
      try (var s = Files.list(parent)) {
        for (Path p : s.sorted().toList()) {
          if (!p.equals(dir.toAbsolutePath().normalize()) && Files.isRegularFile(p.resolve(MindFolder.NEWS))) {
            ReadReport sibling = new ReadReport();
            MindReader.readNews(p.resolve(MindFolder.NEWS), corpus, ReadOptions.LENIENT, sibling);
            conflicting += sibling.conflictingNews();
            siblings.add(p.getFileName().toString());
          }
        }
      } catch (java.io.IOException e) {
        notes.add("could not list sibling folders of " + dir + ": " + e.getMessage());
      }
    }
    ReadReport behaviorReport = new ReadReport();
    Impressions imps = MindReader.readBehaviors(folder.behaviors(), corpus, options, behaviorReport);

    Set<Integer> users = new HashSet<>();
    int[] hist = new int[imps.size()];
    int[] cands = new int[imps.size()];
    long clicks = 0, allNeg = 0, allPos = 0, histElsewhere = 0, candElsewhere = 0;
    Set<String> elsewhere = new HashSet<>();
    for (int i = 0; i < imps.size(); i++) {
      users.add(imps.userIndex(i));
      int[] h = imps.history(i);
      hist[i] = h.length;
      for (int x : h) {
        if (x >= own) {
          histElsewhere++;
          elsewhere.add(corpus.id(x));
        }
      }
      int n = imps.candidateCount(i);
      cands[i] = n;
      int c = 0;
      for (int j = 0; j < n; j++) {
        int x = imps.candidate(i, j);
        if (x >= own) {
          candElsewhere++;
          elsewhere.add(corpus.id(x));
        }
        if (imps.label(i, j) == 1) c++;
      }
      clicks += c;
      if (imps.labelled()) {
        if (c == 0) allNeg++;
        else if (c == n) allPos++;
      }
    }
    addDefects(defects, notes, folder.news(), newsReport);
    addDefects(defects, notes, folder.behaviors(), behaviorReport);
    if (imps.size() > 0 && imps.labelled()) {
      try {
        MindFolder.requireClicks(folder.behaviors(), imps);
      } catch (dev.newsrec.core.data.DataFormatException e) {
        defects.add(Defects.of(MindFolder.BEHAVIORS, NO_CLICKS, e.getMessage()));
      }
    }
    int vectors = -1;
    int dim = 0;
    int covered = 0;
    if (Files.isRegularFile(folder.entityVectors())) {
      ReadReport vectorReport = new ReadReport();
      EntityEmbeddings ev = MindReader.readVectors(folder.entityVectors(), options, vectorReport);
      addDefects(defects, notes, folder.entityVectors(), vectorReport);
      vectors = ev.size();
      dim = ev.dim();
      for (String e : entities) if (ev.indexOf(e) >= 0) covered++;
      if (vectors > 0 && firstDim[0] < 0) {
        firstDim[0] = dim;
        firstVectors[0] = folder.entityVectors();
      } else if (vectors > 0 && dim != firstDim[0]) {
        defects.add(Defects.of(MindFolder.ENTITY_VECTORS, VECTOR_DIMENSION,
            new dev.newsrec.core.data.DataFormatException(folder.entityVectors(), 1, "vector",
                dim + " values per vector, but " + firstVectors[0] + " has " + firstDim[0])
                .getMessage()));
      }
    }
    return new Report(dir, own, cats.size(), subs.size(), users.size(), imps.size(),
        imps.totalCandidates(), clicks, imps.labelled(), allNeg, allPos,
        Distribution.of(hist, hist.length), Distribution.of(cands, cands.length), histElsewhere,
        candElsewhere, elsewhere, siblings, behaviorReport.unknownHistoryRefs(),
        behaviorReport.unknownCandidateRefs(), behaviorReport.unknownIds().size(), defects,
        conflicting, withEntities, entities.size(), vectors, dim, covered, notes);
  }

  private static void addDefects(List<Defects> defects, List<String> notes, Path file, ReadReport r) {
    if (r.defectCount() > 0) {
      defects.add(new Defects(file.getFileName().toString(),
          java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(r.defects())),
          java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(r.firstDefects()))));
    }
    for (String n : r.notes()) notes.add(file.getFileName() + ": " + n);
  }
}
