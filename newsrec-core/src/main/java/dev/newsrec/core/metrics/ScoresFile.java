package dev.newsrec.core.metrics;

import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.io.AtomicFiles;
import java.nio.file.Path;

/**
 * The raw scores behind a prediction: one line per impression in input order,
 * {@code ImpressionID<TAB>s1 s2 ...}, the model's score of each candidate in the impression's
 * candidate order (higher = better), written so that parsing it back gives the same floats.
 */
public final class ScoresFile {
  private ScoresFile() {}

  /** scores aligned with imps.flatCandidates(). */
  public static void write(Path file, Impressions imps, float[] scores) {
    if (scores.length != imps.totalCandidates()) {
      throw new IllegalArgumentException(scores.length + " scores for " + imps.totalCandidates() + " candidates");
    }
    AtomicFiles.writeText(file, w -> {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < imps.size(); i++) {
        line.setLength(0);
        line.append(imps.impressionId(i)).append('\t');
        for (int j = 0; j < imps.candidateCount(i); j++) {
          if (j > 0) line.append(' ');
          line.append(scores[imps.offset(i) + j]);
        }
        w.write(line.append('\n').toString());
      }
    });
  }
}
