package dev.newsrec.core.mind;

import dev.newsrec.core.data.DataFormatException;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.core.io.AtomicFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code histories.tsv}: users who have a click history but no impressions (material for user
 * behaviour pre-training such as PUNR's), one line per user: {@code UserID<TAB>History}, the
 * history as space-separated NewsIDs, oldest first, like behaviors.tsv's History column. Not a
 * MIND file; the synthetic world writes it into train/ when asked for unlabelled users.
 */
public final class HistoriesFile {
  public static final String FILE_NAME = "histories.tsv";
  private static final String[] COLUMNS = {"UserID", "History"};

  private HistoriesFile() {}

  /** User ids and their histories as corpus indices, aligned. */
  public record Histories(List<String> userIds, List<int[]> histories) {
    public Histories {
      if (userIds.size() != histories.size()) {
        throw new IllegalArgumentException(userIds.size() + " users but " + histories.size() + " histories");
      }
      userIds = List.copyOf(userIds);
      histories = List.copyOf(histories);
    }

    public int size() { return userIds.size(); }
  }

  /**
   * Reads a histories.tsv against corpus. History entries naming news absent from the corpus are
   * dropped and counted in report (as for behaviors.tsv); a bad line is a
   * {@link DataFormatException} naming file, line and field, or skipped when lenient.
   */
  public static Histories read(Path file, NewsCorpus corpus, ReadOptions options, ReadReport report) {
    List<String> users = new ArrayList<>();
    List<int[]> histories = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int[] tabs = new int[COLUMNS.length + 1];
    int[] h = new int[256];
    try (BufferedReader in = MindReader.open(file, report)) {
      String line;
      long no = 0;
      while ((line = in.readLine()) != null) {
        no++;
        report.line();
        String field = "columns";
        String defect = ReadReport.COLUMN_COUNT;
        String problem = null;
        int n = MindLines.splitTabs(line, tabs, COLUMNS.length);
        String user = n == COLUMNS.length ? MindLines.col(line, tabs, 0) : null;
        if (MindLines.isBlank(line)) {
          field = null;
          defect = ReadReport.BLANK_LINE;
          problem = "blank line";
        } else if (n != COLUMNS.length) {
          problem = "expected " + COLUMNS.length + " tab-separated columns (UserID, History), found " + n;
        } else if (user.isEmpty()) {
          field = "UserID";
          defect = "bad UserID";
          problem = "empty user id";
        } else if (!seen.add(user)) {
          field = "UserID";
          defect = "duplicate user id";
          problem = "user " + user + " appears on an earlier line too";
        }
        if (problem != null) {
          DataFormatException error = new DataFormatException(file, no, field, problem);
          if (!options.lenient()) throw error;
          report.skip(defect, error.getMessage());
          continue;
        }
        int k = 0;
        for (int s = tabs[1] + 1, e; s < tabs[2]; s = e + 1) {
          e = MindLines.indexOf(line, ' ', s, tabs[2]);
          if (e == s) continue;
          int idx = corpus.indexOf(line, s, e);
          if (idx < 0) {
            report.unknownHistory(line.substring(s, e));
            continue;
          }
          if (k == h.length) h = Arrays.copyOf(h, k * 2);
          h[k++] = idx;
        }
        users.add(user);
        histories.add(Arrays.copyOf(h, k));
        report.record();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return new Histories(users, histories);
  }

  /** Writes histories (corpus indices) as a histories.tsv; the file appears whole. */
  public static void write(Path file, Histories histories, NewsCorpus corpus) {
    AtomicFiles.writeText(file, w -> {
      StringBuilder sb = new StringBuilder(1024);
      for (int i = 0; i < histories.size(); i++) {
        sb.setLength(0);
        int[] h = histories.histories().get(i);
        appendLine(sb, histories.userIds().get(i), h, h.length, corpus::id);
        w.append(sb);
      }
    });
  }

  /** Appends one line, with its newline: userId TAB history[0, length) as news ids. */
  public static void appendLine(StringBuilder sb, String userId, int[] history, int length,
      java.util.function.IntFunction<String> newsId) {
    sb.append(userId).append('\t');
    MindWriter.appendHistory(sb, history, length, newsId);
    sb.append('\n');
  }
}
