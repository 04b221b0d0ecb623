package dev.newsrec.core.mind;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a reader saw besides the data: lines read, defects dropped in lenient mode (by class),
 * unknown news ids, news rows that conflict with an earlier file, and notes (a removed BOM).
 */
public final class ReadReport {
  /** Defect classes besides a bad field (whose class is "bad " and the field's name). */
  public static final String COLUMN_COUNT = "wrong column count";
  public static final String BLANK_LINE = "blank line";
  public static final String DUPLICATE_NEWS = "duplicate news id";
  public static final String DUPLICATE_IMPRESSION = "duplicate impression id";
  public static final String DUPLICATE_CANDIDATE = "duplicate candidate";
  public static final String EMPTY_FILE = "empty file";

  private long linesRead;
  private long records;
  private long skippedLines;
  private final Map<String, Long> defects = new LinkedHashMap<>();
  private final Map<String, String> firstDefects = new LinkedHashMap<>();
  private long unknownHistoryRefs;
  private long unknownCandidateRefs;
  private final Set<String> unknownIds = new HashSet<>();
  private long conflictingNews;
  private String firstConflict;
  private final List<String> notes = new ArrayList<>();

  // Public for readers outside this package (the Spark reader builds the same report on its driver).
  public void line() { linesRead++; }

  public void record() { records++; }

  /** A line dropped in lenient mode; reason is its defect class. */
  public void skip(String reason, String message) {
    skippedLines++;
    defect(reason, message);
  }

  /** A defect dropped in lenient mode that is not a whole line (a repeated candidate, an empty file). */
  public void defect(String reason, String message) {
    defects.merge(reason, 1L, Long::sum);
    firstDefects.putIfAbsent(reason, message);
  }

  public void unknownHistory(String id) {
    unknownHistoryRefs++;
    unknownIds.add(id);
  }

  public void unknownCandidate(String id) {
    unknownCandidateRefs++;
    unknownIds.add(id);
  }

  void conflictingNews(String message) {
    conflictingNews++;
    if (firstConflict == null) firstConflict = message;
  }

  public void note(String note) { notes.add(note); }

  public long linesRead() { return linesRead; }

  /** Rows accepted (news, impressions, vectors, users). */
  public long records() { return records; }

  public long skippedLines() { return skippedLines; }

  /** Defects dropped in lenient mode, by class ("bad Time" or a constant above), first seen first. */
  public Map<String, Long> defects() { return java.util.Collections.unmodifiableMap(defects); }

  public long defectCount() { return defects.values().stream().mapToLong(Long::longValue).sum(); }

  /** The full message (file, line, field) of the first defect, or null. */
  public String firstDefect() {
    return firstDefects.isEmpty() ? null : firstDefects.values().iterator().next();
  }

  /** The message of the first defect of each class, in the order of {@link #defects()}. */
  public Map<String, String> firstDefects() { return java.util.Collections.unmodifiableMap(firstDefects); }

  /** History entries naming news absent from the corpus; they are dropped from the history. */
  public long unknownHistoryRefs() { return unknownHistoryRefs; }

  /** Candidates naming news absent from the corpus (lenient mode skips their impressions). */
  public long unknownCandidateRefs() { return unknownCandidateRefs; }

  public Set<String> unknownIds() { return Set.copyOf(unknownIds); }

  /** News ids whose row differs from the row an earlier news.tsv gave them (the first is kept). */
  public long conflictingNews() { return conflictingNews; }

  public String firstConflict() { return firstConflict; }

  public List<String> notes() { return List.copyOf(notes); }

  /** One line for logs, empty when nothing was dropped, unknown, conflicting or noted. */
  public String summary(String file) {
    List<String> parts = new ArrayList<>(notes);
    if (!defects.isEmpty()) {
      parts.add("dropped " + defectCounts(defects) + " (first: " + firstDefect() + ")");
    }
    if (unknownHistoryRefs + unknownCandidateRefs > 0) {
      parts.add(unknownIds.size() + " unknown news ids (" + unknownHistoryRefs
          + " history entries dropped, " + unknownCandidateRefs + " candidate references)");
    }
    if (conflictingNews > 0) {
      parts.add(conflictingNews + " news ids differ from their row in an earlier news.tsv, which"
          + " is kept (first: " + firstConflict + ")");
    }
    return parts.isEmpty() ? "" : file + ": " + String.join("; ", parts);
  }

  /** "2 blank line, 1 duplicate impression id": counts per defect class, in the order first seen. */
  public static String defectCounts(Map<String, Long> defects) {
    StringBuilder sb = new StringBuilder();
    defects.forEach((k, v) -> {
      if (sb.length() > 0) sb.append(", ");
      sb.append(v).append(' ').append(k);
    });
    return sb.toString();
  }
}
