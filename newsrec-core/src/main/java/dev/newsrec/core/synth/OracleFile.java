package dev.newsrec.core.synth;

import dev.newsrec.core.data.DataFormatException;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.mind.MindWriter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code oracle.tsv}: the synthetic world's true click probabilities, one line per impression,
 * {@code ImpressionID<TAB>p1 p2 ...} aligned with that impression's candidates in behaviors.tsv.
 * Scoring with them gives the best ranking any model can reach (the evaluation's ceiling).
 */
public final class OracleFile {
  public static final String FILE_NAME = "oracle.tsv";
  /** Probabilities are written, and drawn from, rounded to this many decimals. */
  static final int DECIMALS = 6;

  private OracleFile() {}

  /** Appends one line, with its newline: impressionId TAB p[0, count) with six decimals. */
  public static void appendLine(StringBuilder sb, String impressionId, double[] p, int count) {
    sb.append(impressionId).append('\t');
    for (int j = 0; j < count; j++) {
      if (j > 0) sb.append(' ');
      MindWriter.appendFixed(sb, p[j], DECIMALS);
    }
    sb.append('\n');
  }

  /**
   * Reads an oracle.tsv for impressions: one score per candidate, aligned with
   * {@link Impressions#flatCandidates()}. Lines are matched by ImpressionID (any order); every
   * impression needs exactly one line with one probability per candidate. Errors name the file,
   * line and field.
   */
  public static double[] read(Path file, Impressions impressions) {
    Map<String, Integer> row = new HashMap<>(impressions.size() * 2);
    for (int i = 0; i < impressions.size(); i++) {
      if (row.put(impressions.impressionId(i), i) != null) {
        throw new DataFormatException(file, 0, "ImpressionID", "the impressions repeat id "
            + impressions.impressionId(i) + ", so oracle lines cannot be matched to them");
      }
    }
    double[] scores = new double[impressions.totalCandidates()];
    boolean[] done = new boolean[impressions.size()];
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8), 1 << 16)) {
      String line;
      long no = 0;
      while ((line = in.readLine()) != null) {
        no++;
        if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
        int tab = line.indexOf('\t');
        if (tab < 0 || line.indexOf('\t', tab + 1) >= 0) {
          throw new DataFormatException(file, no, "columns",
              "expected 2 tab-separated columns (ImpressionID, Probabilities)");
        }
        String id = line.substring(0, tab);
        Integer i = row.get(id);
        if (i == null) {
          throw new DataFormatException(file, no, "ImpressionID", "unknown impression id '" + id + "'");
        }
        if (done[i]) {
          throw new DataFormatException(file, no, "ImpressionID", "impression " + id + " appears twice");
        }
        done[i] = true;
        int expected = impressions.candidateCount(i);
        int base = impressions.offset(i);
        int k = 0;
        for (int s = tab + 1, e; s <= line.length(); s = e + 1) {
          e = line.indexOf(' ', s);
          if (e < 0) e = line.length();
          if (e == s) {
            if (e == line.length()) break;
            continue;
          }
          if (k == expected) {
            throw new DataFormatException(file, no, "Probabilities", "impression " + id + " has "
                + expected + " candidates but more probabilities are given");
          }
          String v = line.substring(s, e);
          double p;
          try {
            p = Double.parseDouble(v);
          } catch (NumberFormatException ex) {
            throw new DataFormatException(file, no, "Probabilities", "not a number: '" + v + "'");
          }
          if (!(p >= 0 && p <= 1)) {
            throw new DataFormatException(file, no, "Probabilities",
                "expected a probability in [0, 1], found " + v);
          }
          scores[base + k++] = p;
        }
        if (k != expected) {
          throw new DataFormatException(file, no, "Probabilities", "impression " + id + " has "
              + expected + " candidates but " + k + " probabilities are given");
        }
      }
    } catch (NoSuchFileException e) {
      throw new DataFormatException(file, 0, null, "no such file");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    for (int i = 0; i < done.length; i++) {
      if (!done[i]) {
        throw new DataFormatException(file, 0, "ImpressionID",
            "no line for impression " + impressions.impressionId(i));
      }
    }
    return scores;
  }
}
