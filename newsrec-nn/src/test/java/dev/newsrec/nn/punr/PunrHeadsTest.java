package dev.newsrec.nn.punr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.newsrec.nn.Engines;
import dev.newsrec.nn.plm.BertModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The MLM head and the generation decoder: causality and both losses against a hand computation. */
class PunrHeadsTest {
  NDManager m;
  ParameterStore ps;
  PunrHeads heads;
  static final int H = 32;
  static final int V = 100;

  @BeforeEach
  void setUp() {
    PunrTesting.engine();
    m = NDManager.newBaseManager();
    Engines.seed(3);
    BertModel bert = BertModel.tiny();
    bert.initialize(m, DataType.FLOAT32, new Shape(1, 1));
    heads = new PunrHeads(bert);
    heads.initialize(m, DataType.FLOAT32, new Shape(1, 1, H));
    ps = new ParameterStore(m, false);
  }

  @AfterEach
  void tearDown() { m.close(); }

  @Test
  void changingTokenKChangesNoPredictionBeforeK() {
    int length = 9;
    NDArray user = m.randomNormal(new Shape(1, H));
    NDArray emb = m.randomNormal(new Shape(1, length, H));
    NDArray inMask = m.ones(new Shape(1, length - 1), DataType.INT64);
    float[] before = heads.decoderHidden(ps, user, emb, inMask, false).toFloatArray();
    for (int k = 1; k < length - 1; k++) {
      NDArray changed = emb.duplicate();
      changed.set(new NDIndex("0, {}, :", k), m.randomNormal(new Shape(H)));
      float[] after = heads.decoderHidden(ps, user, changed, inMask, false).toFloatArray();
      // Input position k holds token k; outputs 0..k-1 predict tokens 1..k.
      for (int t = 0; t < length - 1; t++) {
        double diff = 0;
        for (int d = 0; d < H; d++) diff = Math.max(diff, Math.abs(before[t * H + d] - after[t * H + d]));
        if (t < k) assertThat(diff).as("token %d changed, output %d", k, t).isLessThan(1e-6);
        else assertThat(diff).as("token %d changed, output %d", k, t).isGreaterThan(1e-4);
      }
    }
  }

  @Test
  void mlmLossIsTheMeanCrossEntropyAtTheMaskedPositions() {
    int rows = 2;
    int length = 5;
    NDArray hidden = m.randomNormal(new Shape(rows, length, H));
    long[] positions = {1, 3, length + 2};
    long[] labels = {7, 42, 99};
    PunrHeads.Loss l = heads.mlmLoss(ps, m, hidden, positions, labels, false);
    float[] logits = heads.mlm().logits(ps, hidden, false).toFloatArray();
    double ce = 0;
    double hits = 0;
    for (int i = 0; i < positions.length; i++) {
      ce += crossEntropy(logits, (int) positions[i] * V, (int) labels[i]);
      hits += argMax(logits, (int) positions[i] * V) == labels[i] ? 1 : 0;
    }
    assertThat(l.loss().getFloat()).isCloseTo((float) (ce / positions.length), within(1e-5f));
    assertThat(l.accuracy().getFloat()).isCloseTo((float) (hits / positions.length), within(1e-6f));
  }

  @Test
  void generationLossPredictsTokensOneToNFromTheUserVectorAndSkipsPadding() {
    int rows = 2;
    int length = 6;
    long[] ids = {2, 11, 12, 13, 14, 3, 2, 21, 22, 3, 0, 0};
    long[] mask = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
    NDArray user = m.randomNormal(new Shape(rows, H));
    NDArray emb = m.randomNormal(new Shape(rows, length, H));
    PunrHeads.Loss l = heads.generationLoss(ps, m, user, emb, ids, mask, rows, length, false);
    // By hand: the decoder reads [u, e1..e4] with row 1's padding unread; output t predicts id t+1.
    long[] inMask = {1, 1, 1, 1, 1, 1, 1, 1, 1, 0};
    NDArray h = heads.decoderHidden(ps, user, emb, m.create(inMask, new Shape(rows, length - 1)), false);
    float[] logits = heads.mlm().logits(ps, h, false).toFloatArray();
    double ce = 0;
    int n = 0;
    for (int b = 0; b < rows; b++) {
      for (int t = 0; t < length - 1; t++) {
        if (mask[b * length + t + 1] == 0) continue;
        ce += crossEntropy(logits, (b * (length - 1) + t) * V, (int) ids[b * length + t + 1]);
        n++;
      }
    }
    assertThat(n).isEqualTo(8);
    assertThat(l.loss().getFloat()).isCloseTo((float) (ce / n), within(1e-5f));
  }

  static double crossEntropy(float[] logits, int offset, int label) {
    double max = Double.NEGATIVE_INFINITY;
    for (int v = 0; v < V; v++) max = Math.max(max, logits[offset + v]);
    double sum = 0;
    for (int v = 0; v < V; v++) sum += Math.exp(logits[offset + v] - max);
    return Math.log(sum) + max - logits[offset + label];
  }

  static int argMax(float[] logits, int offset) {
    int best = 0;
    for (int v = 1; v < V; v++) if (logits[offset + v] > logits[offset + best]) best = v;
    return best;
  }
}
