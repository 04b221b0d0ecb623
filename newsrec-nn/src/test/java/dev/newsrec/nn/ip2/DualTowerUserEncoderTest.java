package dev.newsrec.nn.ip2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.plm.PlmBlock;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Cross attention between the towers, and the two aggregations as one dot product. */
class DualTowerUserEncoderTest {
  static final int D = 16;
  static final int B = 2;
  static final int L = 5;

  static DualTowerUserEncoder encoder(NDManager m, boolean cross, String aggregation) {
    DualTowerUserEncoder u = new DualTowerUserEncoder(D, 4, 8, cross, aggregation);
    u.initialize(m, DataType.FLOAT32, new Shape(1, 1, D));
    return u;
  }

  static float[] random(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
    return x;
  }

  /** History [B,L,2D] whose entity half is drawn from entitySeed; the last click of user 1 is padding. */
  static NDList history(NDManager m, long entitySeed) {
    float[] titles = random(B * L * D, 1);
    float[] entities = random(B * L * D, entitySeed);
    float[] h = new float[B * L * 2 * D];
    for (int r = 0; r < B * L; r++) {
      System.arraycopy(titles, r * D, h, r * 2 * D, D);
      System.arraycopy(entities, r * D, h, r * 2 * D + D, D);
    }
    float[] mask = {1, 1, 1, 1, 1, 1, 1, 1, 1, 0};
    return new NDList(m.create(h, new Shape(B, L, 2 * D)), m.create(mask, new Shape(B, L)));
  }

  static float[][] towers(DualTowerUserEncoder u, NDManager m, long entitySeed) {
    NDList h = history(m, entitySeed);
    NDList t = u.towers(new ParameterStore(m, false), h.get(0), h.get(1), false);
    return new float[][] {t.get(0).toFloatArray(), t.get(1).toFloatArray()};
  }

  /** Training and inference passes leave no array on the parameters' manager (never freed). */
  @Test
  void encodingLeavesNoArrayOnTheParametersManager() {
    try (NDManager m = Ip2Testing.manager()) {
      for (String aggregation : new String[] {Ip2Options.LEARNED, Ip2Options.CONCAT}) {
        DualTowerUserEncoder u = encoder(m, true, aggregation);
        NDManager params = u.getParameters().valueAt(0).getArray().getManager();
        int before = -1;
        for (int pass = 0; pass < 3; pass++) {
          for (boolean training : new boolean[] {true, false}) {
            try (NDManager step = m.newSubManager();
                ai.djl.training.GradientCollector gc =
                    ai.djl.engine.Engine.getInstance().newGradientCollector()) {
              NDList h = history(step, 2);
              NDArray user = u.encode(new ParameterStore(step, false), h.get(0), h.get(1), training);
              if (training) gc.backward(user.sum());
            }
          }
          int now = ((ai.djl.ndarray.BaseNDManager) params).getManagedArrays().size();
          if (pass == 0) before = now;
          assertThat(now).as("%s, arrays on the parameters' manager after pass %d", aggregation, pass)
              .isEqualTo(before);
        }
      }
    }
  }

  static double maxDiff(float[] a, float[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
    return d;
  }

  @Test
  void withCrossAttentionTheTitleTowerReadsTheEntities() {
    try (NDManager m = Ip2Testing.manager()) {
      DualTowerUserEncoder cross = encoder(m, true, Ip2Options.LEARNED);
      float[][] a = towers(cross, m, 2);
      float[][] b = towers(cross, m, 3);
      // Other entity vectors, same titles: the title tower's user vector moves.
      assertThat(maxDiff(a[0], b[0])).isGreaterThan(1e-3);

      DualTowerUserEncoder self = encoder(m, false, Ip2Options.LEARNED);
      float[][] c = towers(self, m, 2);
      float[][] d = towers(self, m, 3);
      // w/o Inter: the title tower never sees the entities, the entity tower does.
      assertThat(maxDiff(c[0], d[0])).isLessThan(1e-6);
      assertThat(maxDiff(c[1], d[1])).isGreaterThan(1e-3);
    }
  }

  @Test
  void paddingDoesNotChangeAUser() {
    try (NDManager m = Ip2Testing.manager()) {
      DualTowerUserEncoder u = encoder(m, true, Ip2Options.LEARNED);
      NDList h = history(m, 2);
      ParameterStore ps = new ParameterStore(m, false);
      float[] full = u.encode(ps, h.get(0), h.get(1), false).toFloatArray();
      // Garbage in user 1's padded click must not matter.
      float[] raw = h.get(0).toFloatArray();
      for (int k = 0; k < 2 * D; k++) raw[(B * L - 1) * 2 * D + k] = 100f;
      float[] noisy = u.encode(ps, m.create(raw, new Shape(B, L, 2 * D)), h.get(1), false).toFloatArray();
      assertThat(noisy).containsExactly(full, within(1e-5f));
    }
  }

  @Test
  void learnedAggregationIsThePapersWeightedSumsAsOneDotProduct() {
    try (NDManager m = Ip2Testing.manager()) {
      DualTowerUserEncoder u = encoder(m, true, Ip2Options.LEARNED);
      // Four different weights, so a swapped pair would show.
      float[] raw = {0.7f, -1.2f, 1.9f, -0.4f};
      int i = 0;
      for (var p : u.aggregation().getParameters()) PlmBlock.assign(p.getValue().getArray(), new float[] {raw[i++]});
      ParameterStore ps = new ParameterStore(m, false);
      NDArray ut = m.create(random(B * D, 4), new Shape(B, D));
      NDArray ue = m.create(random(B * D, 5), new Shape(B, D));
      NDArray vt = m.create(random(B * D, 6), new Shape(B, D));
      NDArray ve = m.create(random(B * D, 7), new Shape(B, D));
      Aggregation agg = u.aggregation();
      float[] score = NewsRecModel.score(vt.concat(ve, 1).expandDims(1), agg.userVector(ps, ut, ue, false)).toFloatArray();
      // Eq. 15-17 by hand: u = a_u u_t + b_u u_e, v = a_n v_t + b_n v_e, score = u . v.
      double au = sigmoid(raw[0]);
      double bu = sigmoid(raw[1]);
      double an = sigmoid(raw[2]);
      double bn = sigmoid(raw[3]);
      float[] a = ut.toFloatArray();
      float[] b = ue.toFloatArray();
      float[] c = vt.toFloatArray();
      float[] d = ve.toFloatArray();
      for (int r = 0; r < B; r++) {
        double s = 0;
        for (int k = 0; k < D; k++) {
          int x = r * D + k;
          s += (au * a[x] + bu * b[x]) * (an * c[x] + bn * d[x]);
        }
        assertThat((double) score[r]).isCloseTo(s, within(1e-4));
      }
      float[] paper = agg.user(ps, ut, ue, false).mul(agg.news(ps, vt, ve, false)).sum(new int[] {1}).toFloatArray();
      assertThat(score).containsExactly(paper, within(1e-4f));
    }
  }

  @Test
  void concatenationScoresEachTowerWithItsOwnHalf() {
    try (NDManager m = Ip2Testing.manager()) {
      DualTowerUserEncoder u = encoder(m, true, Ip2Options.CONCAT);
      assertThat(u.aggregation().getParameters().size()).isZero();
      ParameterStore ps = new ParameterStore(m, false);
      NDArray ut = m.create(random(B * D, 4), new Shape(B, D));
      NDArray ue = m.create(random(B * D, 5), new Shape(B, D));
      NDArray vt = m.create(random(B * D, 6), new Shape(B, D));
      NDArray ve = m.create(random(B * D, 7), new Shape(B, D));
      float[] score = NewsRecModel.score(vt.concat(ve, 1).expandDims(1), u.aggregation().userVector(ps, ut, ue, false))
          .toFloatArray();
      float[] expected = ut.mul(vt).sum(new int[] {1}).add(ue.mul(ve).sum(new int[] {1})).toFloatArray();
      assertThat(score).containsExactly(expected, within(1e-4f));
    }
  }

  static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }
}
