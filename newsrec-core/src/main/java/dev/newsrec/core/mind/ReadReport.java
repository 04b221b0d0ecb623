package dev.newsrec.core.mind;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** What a reader saw besides the data: lines read, lines skipped (lenient) and unknown news ids. */
public final class ReadReport {
  private long linesRead;
  private final Map<String, Long> skipped = new LinkedHashMap<>();
  private String firstSkip;
  private long unknownHistoryRefs;
  private long unknownCandidateRefs;
  private final Set<String> unknownIds = new HashSet<>();

  void line() { linesRead++; }

  void skip(String reason, String message) {
    skipped.merge(reason, 1L, Long::sum);
    if (firstSkip == null) firstSkip = message;
  }

  void unknownHistory(String id) {
    unknownHistoryRefs++;
    unknownIds.add(id);
  }

  void unknownCandidate(String id) {
    unknownCandidateRefs++;
    unknownIds.add(id);
  }

  public long linesRead() { return linesRead; }

  public long skippedLines() { return skipped.values().stream().mapToLong(Long::longValue).sum(); }

  /** Skipped lines by field / reason. */
  public Map<String, Long> skippedByReason() { return Map.copyOf(skipped); }

  /** The full message of the first skipped line, or null. */
  public String firstSkip() { return firstSkip; }

  /** History entries naming news absent from the corpus; they are dropped from the history. */
  public long unknownHistoryRefs() { return unknownHistoryRefs; }

  /** Candidates naming news absent from the corpus (lenient mode skips their impressions). */
  public long unknownCandidateRefs() { return unknownCandidateRefs; }

  public Set<String> unknownIds() { return Set.copyOf(unknownIds); }

  /** One line for logs, empty when nothing was skipped or unknown. */
  public String summary(String file) {
    StringBuilder sb = new StringBuilder();
    if (!skipped.isEmpty()) sb.append(file).append(": skipped ").append(skippedLines())
        .append(" bad lines ").append(skipped).append(" (first: ").append(firstSkip).append(")");
    if (unknownHistoryRefs + unknownCandidateRefs > 0) {
      if (sb.length() > 0) sb.append("; ");
      sb.append(file).append(": ").append(unknownIds.size()).append(" unknown news ids (")
          .append(unknownHistoryRefs).append(" history entries dropped, ")
          .append(unknownCandidateRefs).append(" candidate references)");
    }
    return sb.toString();
  }
}
