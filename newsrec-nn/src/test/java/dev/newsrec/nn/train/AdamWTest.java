package dev.newsrec.nn.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdamWTest {
  private static int threads;

  @org.junit.jupiter.api.BeforeAll
  static void oneThread() {
    threads = Fixtures.singleThread();
  }

  @org.junit.jupiter.api.AfterAll
  static void restoreThreads() {
    Fixtures.restoreThreads(threads);
  }

  private NDManager manager;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private Parameter param(String name, float[] values) {
    Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
    NDArray a = manager.create(values);
    a.setRequiresGradient(true);
    p.setArray(a);
    return p;
  }

  /** Makes each parameter's gradient exactly {@code grads[i]}: backward of sum(c * p). */
  private static void setGradients(List<Parameter> params, float[][] grads) {
    try (NDManager tmp = NDManager.newBaseManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray loss = null;
      for (int i = 0; i < params.size(); i++) {
        if (grads[i] == null) continue;
        NDArray term = tmp.create(grads[i]).mul(params.get(i).getArray()).sum();
        loss = loss == null ? term : loss.add(term);
      }
      gc.backward(loss);
    }
  }

  private static List<Pair<String, Parameter>> named(List<Parameter> ps) {
    List<Pair<String, Parameter>> out = new ArrayList<>();
    for (Parameter p : ps) out.add(new Pair<>(p.getName(), p));
    return out;
  }

  private static float[] randomArray(Random r, int n, double scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * scale);
    return a;
  }

  @Test
  void matchesHandWrittenPyTorchFormulasOverSeveralSteps() {
    Random r = new Random(7);
    float[] w0 = randomArray(r, 6, 1.0);
    float[] b0 = randomArray(r, 3, 1.0);
    Parameter w = param("layer_weight", w0);
    Parameter b = param("layer_bias", b0);
    double lr = 1e-2;
    double wd = 0.1;
    AdamW opt = AdamW.builder().learningRate(lr).weightDecay(wd).build(named(List.of(w, b)));
    double[] multipliers = {0.5, 1.0, 0.8, 0.0, 0.3, 1.0};
    double[] scales = {1.0, 0.1, 1e-7, 3.0, 1.0, 0.01}; // 1e-7 makes eps matter

    // independent reference in double precision, torch.optim.AdamW's single-tensor algorithm
    double[][] p = {toDouble(w0), toDouble(b0)};
    double[][] m = {new double[6], new double[3]};
    double[][] v = {new double[6], new double[3]};
    double[] decay = {wd, 0.0}; // bias: no decay by the default rule
    double b1 = 0.9;
    double b2 = 0.999;
    double eps = 1e-8;
    for (int t = 1; t <= multipliers.length; t++) {
      float[][] grads = {randomArray(r, 6, scales[t - 1]), randomArray(r, 3, scales[t - 1])};
      setGradients(List.of(w, b), grads);
      opt.step(multipliers[t - 1], Double.POSITIVE_INFINITY, true);
      double lrT = lr * multipliers[t - 1];
      for (int k = 0; k < 2; k++) {
        for (int i = 0; i < p[k].length; i++) {
          double g = grads[k][i];
          p[k][i] *= 1 - lrT * decay[k];
          m[k][i] += (1 - b1) * (g - m[k][i]); // torch: exp_avg.lerp_(grad, 1 - beta1)
          v[k][i] = b2 * v[k][i] + (1 - b2) * g * g;
          double bc1 = 1 - Math.pow(b1, t);
          double bc2 = 1 - Math.pow(b2, t);
          double denom = Math.sqrt(v[k][i]) / Math.sqrt(bc2) + eps;
          p[k][i] -= lrT / bc1 * m[k][i] / denom;
        }
      }
      float[] gotW = w.getArray().toFloatArray();
      float[] gotB = b.getArray().toFloatArray();
      for (int i = 0; i < 6; i++) assertThat((double) gotW[i]).as("w[%d] step %d", i, t).isCloseTo(p[0][i], within(2e-6));
      for (int i = 0; i < 3; i++) assertThat((double) gotB[i]).as("b[%d] step %d", i, t).isCloseTo(p[1][i], within(2e-6));
    }
    assertThat(opt.stepOf("layer_weight")).isEqualTo(6);
    opt.close();
  }

  @Test
  void weightDecayIsDecoupledFromTheGradient() {
    float[] init = {1f, -2f, 0.5f};
    Parameter w = param("w", init);
    Parameter bias = param("out_bias", init.clone());
    AdamW opt = AdamW.builder().learningRate(0.1).weightDecay(0.5).build(named(List.of(w, bias)));
    for (int t = 0; t < 3; t++) {
      setGradients(List.of(w, bias), new float[][] {new float[3], new float[3]});
      opt.step(1.0);
      opt.zeroGradients();
    }
    // zero gradient: Adam's part is 0 / (0 + eps) = 0, only p *= (1 - lr * wd) remains
    float[] got = w.getArray().toFloatArray();
    for (int i = 0; i < 3; i++) assertThat(got[i]).isCloseTo((float) (init[i] * Math.pow(1 - 0.05, 3)), within(1e-6f));
    assertThat(bias.getArray().toFloatArray()).containsExactly(init);
    opt.close();
  }

  @Test
  void groupsAndNoDecayRulesFollowParameterNames() {
    TinyModel model = TinyModel.create(manager, 1, 4, 8, 1, 0f);
    AdamW opt = AdamW.builder().learningRate(1e-4).weightDecay(0.01)
        .group("plm", n -> n.startsWith("01encoder"), 1e-5, 0.02)
        .build(model);
    assertThat(opt.parameterNames()).containsExactly(
        "01encoder_01Linear_weight", "01encoder_01Linear_bias", "01encoder_02LayerNorm_gamma",
        "01encoder_02LayerNorm_beta", "02head_weight", "02head_bias");
    assertThat(opt.groupOf("01encoder_01Linear_weight").name()).isEqualTo("plm");
    assertThat(opt.groupOf("01encoder_02LayerNorm_gamma").learningRate()).isEqualTo(1e-5);
    assertThat(opt.groupOf("02head_weight").name()).isEqualTo("default");
    assertThat(opt.groupOf("02head_weight").learningRate()).isEqualTo(1e-4);
    assertThat(opt.weightDecayOf("01encoder_01Linear_weight")).isEqualTo(0.02);
    assertThat(opt.weightDecayOf("01encoder_01Linear_bias")).isZero();
    assertThat(opt.weightDecayOf("01encoder_02LayerNorm_gamma")).isZero();
    assertThat(opt.weightDecayOf("01encoder_02LayerNorm_beta")).isZero();
    assertThat(opt.weightDecayOf("02head_weight")).isEqualTo(0.01);
    assertThat(opt.weightDecayOf("02head_bias")).isZero();
    assertThat(opt.groups()).extracting(ParamGroup::name).containsExactly("plm", "default");
    opt.close();

    assertThat(List.of("embeddings.LayerNorm.weight", "01decoder_03ln_1_weight", "02ln_f_weight", "h.0.ln_2.weight",
        "03layer_norm_weight", "02BatchNorm_gamma", "01attention_02query_bias"))
        .allMatch(AdamW.DEFAULT_NO_DECAY);
    assertThat(List.of("01encoder_01Linear_weight", "01kiln_weight", "02linear_weight", "word_embeddings",
        "01decoder_02attn_c_attn_weight"))
        .noneMatch(AdamW.DEFAULT_NO_DECAY);

    AdamW decayAll = AdamW.builder().weightDecay(0.03).noDecay(n -> false).build(model);
    assertThat(decayAll.weightDecayOf("02head_bias")).isEqualTo(0.03);
    decayAll.close();
    AdamW regex = AdamW.builder().group(ParamGroup.matching("norms", "LayerNorm", 5e-5, 0.0)).build(model);
    assertThat(regex.groupOf("01encoder_02LayerNorm_beta").name()).isEqualTo("norms");
    assertThat(regex.groupOf("02head_bias").name()).isEqualTo("default");
    regex.close();
  }

  @Test
  void eachGroupUsesItsOwnLearningRate() {
    Parameter enc = param("plm_weight", new float[] {1f, 1f});
    Parameter head = param("head_weight", new float[] {1f, 1f});
    AdamW opt = AdamW.builder().learningRate(1e-2).weightDecay(0)
        .group("plm", n -> n.startsWith("plm"), 1e-3, 0).build(named(List.of(enc, head)));
    setGradients(List.of(enc, head), new float[][] {{2f, -3f}, {2f, -3f}});
    opt.step(0.5);
    // first Adam step moves each element by lr * g / (|g| + eps), i.e. about lr * sign(g)
    assertThat(enc.getArray().toFloatArray()[0]).isCloseTo(1f - 0.5e-3f, within(1e-6f));
    assertThat(enc.getArray().toFloatArray()[1]).isCloseTo(1f + 0.5e-3f, within(1e-6f));
    assertThat(head.getArray().toFloatArray()[0]).isCloseTo(1f - 0.5e-2f, within(1e-6f));
    opt.close();
  }

  @Test
  void frozenParametersAndParametersWithoutGradientAreSkipped() {
    Parameter trained = param("a_weight", new float[] {1f, 2f});
    Parameter frozen = param("b_weight", new float[] {3f, 4f});
    Parameter unused = param("c_weight", new float[] {5f, 6f});
    AdamW opt = AdamW.builder().learningRate(0.1).weightDecay(0.1).build(named(List.of(trained, frozen, unused)));
    setGradients(List.of(trained, frozen), new float[][] {{1f, 1f}, {1f, 1f}, null});
    frozen.freeze(true);
    opt.step(1.0, Double.POSITIVE_INFINITY, true);
    assertThat(trained.getArray().toFloatArray()[0]).isLessThan(1f);
    assertThat(frozen.getArray().toFloatArray()).containsExactly(3f, 4f);
    assertThat(unused.getArray().toFloatArray()).containsExactly(5f, 6f);
    assertThat(opt.stepOf("a_weight")).isEqualTo(1);
    assertThat(opt.stepOf("b_weight")).isZero();
    assertThat(opt.stepOf("c_weight")).isZero();
    opt.close();
  }

  @Test
  void aTiedWeightIsUpdatedOnceUnderItsFirstName() {
    Parameter shared = param("embeddings_weight", new float[] {1f, 1f});
    Parameter alias = Parameter.builder().setName("decoder_weight").setType(Parameter.Type.WEIGHT).build();
    alias.setArray(shared.getArray()); // same array in a second Parameter, as a tied decoder would be
    List<Pair<String, Parameter>> named = new ArrayList<>(named(List.of(shared)));
    named.add(new Pair<>("02head_decoder_weight", alias));
    named.add(new Pair<>("03again_embeddings_weight", shared));
    AdamW opt = AdamW.builder().learningRate(0.1).weightDecay(0).build(named);
    assertThat(opt.parameterNames()).containsExactly("embeddings_weight");
    assertThat(opt.groupOf("02head_decoder_weight").name()).isEqualTo("default");
    setGradients(List.of(shared), new float[][] {{1f, -1f}});
    opt.step(1.0);
    // one Adam step of size lr, not two
    assertThat(shared.getArray().toFloatArray()[0]).isCloseTo(0.9f, within(1e-6f));
    assertThat(shared.getArray().toFloatArray()[1]).isCloseTo(1.1f, within(1e-6f));
    assertThat(opt.stepOf("03again_embeddings_weight")).isEqualTo(1);
    opt.close();
  }

  @Test
  void stateRoundTripsThroughSaveAndLoad() throws Exception {
    Random r = new Random(3);
    float[] init = randomArray(r, 5, 1);
    Parameter a = param("x_weight", init);
    Parameter b = param("x_weight", init.clone());
    AdamW optA = AdamW.builder().learningRate(0.05).build(named(List.of(a)));
    AdamW optB = AdamW.builder().learningRate(0.05).build(named(List.of(b)));
    List<float[]> grads = new ArrayList<>();
    for (int t = 0; t < 5; t++) grads.add(randomArray(r, 5, 1));
    for (int t = 0; t < 3; t++) {
      setGradients(List.of(a), new float[][] {grads.get(t)});
      optA.step(1.0, Double.POSITIVE_INFINITY, true);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    optA.saveState(new DataOutputStream(bytes));
    optB.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    b.getArray().set(a.getArray().toByteBuffer()); // same weights
    assertThat(optB.stepOf("x_weight")).isEqualTo(3);
    for (int t = 3; t < 5; t++) {
      setGradients(List.of(a), new float[][] {grads.get(t)});
      optA.step(1.0, Double.POSITIVE_INFINITY, true);
      setGradients(List.of(b), new float[][] {grads.get(t)});
      optB.step(1.0, Double.POSITIVE_INFINITY, true);
    }
    assertThat(b.getArray().toFloatArray()).containsExactly(a.getArray().toFloatArray());
    optA.close();
    optB.close();
  }

  @Test
  void clipsTheGlobalNormOfAllGradients() {
    Parameter a = param("a", new float[] {0f, 0f});
    Parameter b = param("b", new float[] {0f});
    AdamW opt = AdamW.builder().build(named(List.of(a, b)));
    setGradients(List.of(a, b), new float[][] {{3f, 0f}, {4f}});
    double norm = opt.clipGradients(1.0);
    assertThat(norm).isCloseTo(5.0, within(1e-6));
    assertThat(a.getArray().getGradient().toFloatArray()[0]).isCloseTo(0.6f, within(1e-6f));
    assertThat(b.getArray().getGradient().toFloatArray()[0]).isCloseTo(0.8f, within(1e-6f));
    assertThat(opt.gradientNorm()).isCloseTo(1.0, within(1e-5));
    opt.close();
  }

  private static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) d[i] = a[i];
    return d;
  }
}
