package dev.newsrec.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.newsrec.nn.Engines;
import dev.newsrec.nn.model.SelfAttentiveEncoder;
import dev.newsrec.nn.model.UserBatch;
import dev.newsrec.nn.plm.PlmBlock;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The plain-Java user encoder computes what the model's NDArray forward pass computes: random
 * weights (spread wide, so attention is far from uniform), random news vectors, histories of 0, 1,
 * a few and 50 clicks, at a toy size and at PLM-NR's (MiniLM width 384, 12 heads, query 200).
 */
class JavaUserEncoderTest {
  @Test
  void equalsTheNdarrayForwardPassOnRandomInputs() {
    check(24, 3, 8, 10, 1);
    check(384, 12, 32, 200, 2);
  }

  private static void check(int dim, int heads, int headDim, int queryDim, long seed) {
    Engines.prepare();
    Random random = new Random(seed);
    try (NDManager m = NDManager.newBaseManager()) {
      SelfAttentiveEncoder e = new SelfAttentiveEncoder(dim, heads, headDim, queryDim, 0.2f);
      e.initialize(m, DataType.FLOAT32, new Shape(1, 1, dim));
      for (Parameter p : e.namedParameters().values()) {
        NDArray a = p.getArray();
        float[] v = new float[(int) a.size()];
        // BERT's 0.02 would make every attention almost uniform and hide a mistake in the weights.
        double sd = 1.0 / Math.sqrt(a.getShape().get(a.getShape().dimension() - 1)) * 2;
        for (int i = 0; i < v.length; i++) v[i] = (float) (random.nextGaussian() * sd);
        PlmBlock.assign(a, v);
      }
      JavaUserEncoder java = JavaUserEncoder.of(e);
      assertThat(java).isNotNull();
      int news = 80;
      float[][] vectors = new float[news][dim];
      for (float[] v : vectors) for (int i = 0; i < dim; i++) v[i] = (float) random.nextGaussian();
      for (int len : new int[] {0, 1, 5, 50}) {
        for (int trial = 0; trial < 3; trial++) {
          int[] history = new int[len];
          for (int t = 0; t < len; t++) history[t] = random.nextInt(news);
          float[] expected = ndarray(e, m, vectors, history, dim);
          float[] got = java.user(history, n -> vectors[n]);
          assertThat(got).hasSize(expected.length);
          double spread = 0;
          for (int i = 0; i < dim; i++) {
            assertThat((double) Math.abs(got[i] - expected[i])).as("dim %d, %d clicks, user[%d]", dim, len, i)
                .isLessThan(1e-5 * Math.max(1, Math.abs(expected[i])));
            spread = Math.max(spread, Math.abs(expected[i] - expected[0]));
          }
          assertThat(spread).as("user vector values differ (a constant vector would hide mistakes)").isGreaterThan(0.1);
        }
      }
      // Each clicked news is projected once and then read from the cache.
      assertThat(java.cachedProjections()).isPositive().isLessThanOrEqualTo(news);
    }
  }

  /** As Scorer.users does it for one history: its news in order (one padding row when empty). */
  private static float[] ndarray(SelfAttentiveEncoder e, NDManager parent, float[][] vectors, int[] history, int dim) {
    int len = Math.max(1, history.length);
    float[] table = new float[len * dim];
    int[][] rows = new int[1][len];
    rows[0][0] = -1;
    for (int t = 0; t < history.length; t++) {
      System.arraycopy(vectors[history[t]], 0, table, t * dim, dim);
      rows[0][t] = t;
    }
    try (NDManager m = parent.newSubManager()) {
      NDArray x = m.create(table, new Shape(len, dim));
      return e.encode(new ParameterStore(m, false), new UserBatch(x, rows, null, null), false).toFloatArray();
    }
  }

  @Test
  void tanhThroughExpIsExactToAFloat() {
    for (double x = -30; x <= 30; x += 0.001) {
      float f = (float) x;
      assertThat(JavaUserEncoder.tanh(f)).as("tanh(%s)", f).isCloseTo((float) Math.tanh(f), org.assertj.core.data.Offset.offset(2e-7f));
    }
  }
}
