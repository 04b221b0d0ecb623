package dev.newsrec.nn.ip2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.newsrec.core.config.ConfigProblems;
import dev.newsrec.nn.rec.StageTraining;
import org.junit.jupiter.api.Test;

/** Each InfoNCE term of Eq. 9-12 against a hand computation on three 2-d embeddings. */
class ContrastiveLossTest {
  static final double[][] T = {{1, 0}, {0, 2}, {-1, -1}};
  static final double[][] E = {{1, 1}, {1, 0.5}, {0, -1}};
  static final double[][] T_MIRROR = {{1, 0.5}, {0.2, 2}, {-1, 0}};
  static final double[][] E_MIRROR = {{2, 0}, {-1, 2}, {1, -1}};

  /** mean_i -log( exp(cos(a_i,b_i)/tau) / sum_j exp(cos(a_i,b_j)/tau) ), in doubles. */
  static double nce(double[][] a, double[][] b, double tau) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double denominator = 0;
      for (double[] bj : b) denominator += Math.exp(cos(a[i], bj) / tau);
      sum += -Math.log(Math.exp(cos(a[i], b[i]) / tau) / denominator);
    }
    return sum / a.length;
  }

  static double cos(double[] x, double[] y) {
    double dot = 0;
    double nx = 0;
    double ny = 0;
    for (int k = 0; k < x.length; k++) {
      dot += x[k] * y[k];
      nx += x[k] * x[k];
      ny += y[k] * y[k];
    }
    return dot / Math.sqrt(nx * ny);
  }

  static double sym(double[][] a, double[][] b, double tau) {
    return (nce(a, b, tau) + nce(b, a, tau)) / 2;
  }

  static NDArray array(NDManager m, double[][] x) {
    float[] flat = new float[x.length * x[0].length];
    for (int i = 0; i < x.length; i++) for (int k = 0; k < x[0].length; k++) flat[i * x[0].length + k] = (float) x[i][k];
    return m.create(flat, new Shape(x.length, x[0].length));
  }

  @Test
  void infoNceAndItsSymmetricTermEqualTheHandComputation() {
    try (NDManager m = Ip2Testing.manager()) {
      NDArray t = array(m, T);
      NDArray e = array(m, E);
      assertThat(ContrastiveLoss.infoNce(t, e, 0.1f).getFloat()).isCloseTo((float) nce(T, E, 0.1), within(1e-4f));
      assertThat(ContrastiveLoss.infoNce(e, t, 0.5f).getFloat()).isCloseTo((float) nce(E, T, 0.5), within(1e-4f));
      // The two directions differ here, so a one-sided term would not pass.
      assertThat(Math.abs(nce(T, E, 0.1) - nce(E, T, 0.1))).isGreaterThan(0.1);
      assertThat(ContrastiveLoss.symmetric(t, e, 0.1f).getFloat()).isCloseTo((float) sym(T, E, 0.1), within(1e-4f));
    }
  }

  @Test
  void eachTermAndTheWeightedSumOfEquation12() {
    ContrastiveOptions o = new ContrastiveOptions(null, null, null, null, null, null, null, null,
        0.1, 0.2, 0.3, null, null, null, null);
    double et = sym(T, E, 0.1);
    double tt = sym(T, T_MIRROR, 0.2);
    double ee = sym(E, E_MIRROR, 0.3);
    try (NDManager m = Ip2Testing.manager()) {
      NDArray total = new ContrastiveStage.Step(null, o).terms(null, array(m, T), array(m, E),
          array(m, T_MIRROR), array(m, E_MIRROR));
      assertThat(total.getFloat()).isCloseTo((float) (0.3 * et + 0.2 * tt + 0.2 * ee), within(1e-4f));

      // w/o CL e-t: only the mirror terms, with their weights.
      ContrastiveOptions noEt = new ContrastiveOptions(null, null, false, null, null, null, null, null,
          0.1, 0.2, 0.3, null, null, null, null);
      assertThat(new ContrastiveStage.Step(null, noEt).terms(null, array(m, T), array(m, E),
          array(m, T_MIRROR), array(m, E_MIRROR)).getFloat()).isCloseTo((float) (0.2 * tt + 0.2 * ee), within(1e-4f));

      // w/o CL t-t & e-e: the entity-title term alone.
      ContrastiveOptions onlyEt = new ContrastiveOptions(null, null, true, false, false, null, null, null,
          0.1, null, null, null, null, null, null);
      assertThat(new ContrastiveStage.Step(null, onlyEt).terms(null, array(m, T), array(m, E),
          array(m, T_MIRROR), array(m, E_MIRROR)).getFloat()).isCloseTo((float) (0.3 * et), within(1e-4f));
    }
  }

  @Test
  void defaultsAreThePapersAndBadValuesNameTheirKey() {
    ContrastiveOptions d = ContrastiveOptions.defaults();
    assertThat(d.entityTitleWeight()).isEqualTo(0.3);
    assertThat(d.titleTitleWeight()).isEqualTo(0.2);
    assertThat(d.entityEntityWeight()).isEqualTo(0.2);
    assertThat(d.entityTitleTemperature()).isEqualTo(0.1);
    assertThat(d.training().epochs()).isEqualTo(2);
    assertThat(d.training().batchSize()).isEqualTo(128);
    // A partial training section keeps the stage's other defaults.
    ContrastiveOptions partial = new ContrastiveOptions(null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, new StageTraining(5, null, 8, null, null, null, null, null, null, null, null));
    assertThat(partial.training().epochs()).isEqualTo(2);
    assertThat(partial.training().learningRate()).isEqualTo(1e-4);

    assertThatThrownBy(() -> new ContrastiveOptions(null, null, null, null, null, null, null, null,
        0.0, null, null, null, null, null, null))
        .isInstanceOf(ConfigProblems.Invalid.class).hasMessageContaining("entity_title_temperature");
    assertThatThrownBy(() -> new ContrastiveOptions(null, null, false, false, false, null, null, null,
        null, null, null, null, null, null, null))
        .isInstanceOf(ConfigProblems.Invalid.class).hasMessageContaining("entity_title");
    assertThatThrownBy(() -> new ContrastiveOptions(null, null, null, null, null, -0.1, null, null,
        null, null, null, 1.5, null, null, null))
        .isInstanceOf(ConfigProblems.Invalid.class).hasMessageContaining("entity_title_weight")
        .hasMessageContaining("mirror_dropout");
    assertThatThrownBy(() -> new ContrastiveOptions("mlm", null, null, null, null, null, null, null,
        null, null, null, null, null, null, null))
        .isInstanceOf(ConfigProblems.Invalid.class).hasMessageContaining("stage");
  }

  @Test
  void modelOptionsDefaultToThePaperAndNameBadKeys() {
    Ip2Options d = Ip2Options.defaults();
    assertThat(d.newsDim()).isEqualTo(400);
    assertThat(d.entityDim()).isEqualTo(100);
    assertThat(d.seeLayers()).isEqualTo(2);
    assertThat(d.seeHeads()).isEqualTo(5);
    assertThat(d.seeFfn()).isEqualTo(400);
    assertThat(d.seeDropout()).isEqualTo(0.5);
    assertThat(d.userHeads()).isEqualTo(20);
    assertThat(d.titleDropout()).isEqualTo(0.2);
    assertThat(d.crossAttention()).isTrue();
    assertThat(d.aggregation()).isEqualTo("learned");
    assertThat(d.training().batchSize()).isEqualTo(64);
    assertThat(d.training().learningRate()).isEqualTo(1e-4);
    assertThat(d.training().plmLearningRate()).isEqualTo(1e-5);
    assertThatThrownBy(() -> Ip2Testing.options("minilm", true, "sum", false, "random", null))
        .isInstanceOf(ConfigProblems.Invalid.class).hasMessageContaining("aggregation");
    assertThatThrownBy(() -> Ip2Testing.options("minilm", true, "learned", false, "wikidata", null))
        .isInstanceOf(ConfigProblems.Invalid.class).hasMessageContaining("entity_init");
    assertThatThrownBy(() -> new Ip2Options(null, null, null, null, null, null, null, null, 400, null,
        100, null, null, null, null, 3, null, null, null, 7, null, null, null, null, null))
        .isInstanceOf(ConfigProblems.Invalid.class).hasMessageContaining("see_heads")
        .hasMessageContaining("user_heads");
  }
}
