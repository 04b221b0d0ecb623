package dev.newsrec.nn.rec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.model.NewsTokens;
import java.util.Arrays;

/** The evaluation path checked against the model's blocks run directly, one impression at a time. */
final class DirectScores {
  private DirectScores() {}

  /**
   * Asserts that {@code scores} of the first {@code impressions} impressions of {@code eval} equal
   * the dot products of the blocks' news vectors with the user vector of the history cut to its
   * {@code maxHistory} most recent clicks. Returns how many histories were cut.
   */
  static int assertScorerEqualsBlocks(NewsRecModel model, NewsTokens tokens, Impressions eval,
      float[] scores, int impressions, int maxHistory) {
    int cut = 0;
    try (NDManager m = NDManager.newBaseManager()) {
      ParameterStore ps = new ParameterStore(m, false);
      for (int i = 0; i < impressions; i++) {
        int[] full = eval.history(i);
        int[] hist = full.length <= maxHistory ? full
            : Arrays.copyOfRange(full, full.length - maxHistory, full.length);
        if (hist.length < full.length) cut++;
        int c = eval.candidateCount(i);
        int[] news = new int[hist.length + c];
        System.arraycopy(hist, 0, news, 0, hist.length);
        for (int j = 0; j < c; j++) news[hist.length + j] = eval.candidate(i, j);
        NewsTokens.Padded p = tokens.pad(news);
        NDArray vecs = model.newsEncoder().encode(ps, m.create(p.ids(), new Shape(p.rows(), p.length())),
            m.create(p.mask(), new Shape(p.rows(), p.length())), false);
        int[][] h = new int[1][Math.max(1, hist.length)];
        Arrays.fill(h[0], -1);
        for (int k = 0; k < hist.length; k++) h[0][k] = k;
        float[] user = model.users(ps, vecs, h, false).toFloatArray();
        float[] vectors = vecs.toFloatArray();
        int d = user.length;
        for (int j = 0; j < c; j++) {
          double s = 0;
          for (int k = 0; k < d; k++) s += vectors[(hist.length + j) * d + k] * user[k];
          assertThat((double) scores[eval.offset(i) + j]).as("impression %d candidate %d", i, j)
              .isCloseTo(s, within(1e-3));
        }
      }
    }
    return cut;
  }
}
