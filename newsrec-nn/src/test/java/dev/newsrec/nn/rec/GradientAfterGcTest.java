package dev.newsrec.nn.rec;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.nrms.NrmsNewsEncoder;
import dev.newsrec.nn.model.PlmNewsEncoder;
import dev.newsrec.nn.model.SelfAttentiveEncoder;
import dev.newsrec.nn.plm.BertConfig;
import dev.newsrec.nn.plm.BertModel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The NCE step runs forward, then backward: the gradients must not change when a garbage
 * collection runs in between. On CPU, a DJL array made from Java data (NDManager.create, and the
 * scalar that NDArray.mul(Number) wraps its number in) shares a direct buffer with its tensor;
 * once the array is closed the collector may free memory that autograd still reads in backward.
 * Found by PlmNrPipelineTest, which diverged (NaN or infinite gradient norm) in some JVMs.
 */
class GradientAfterGcTest {
  static final int DIM = 8;
  static final int NEWS = 6;
  static final int[][] HISTORY = {{0, 3, 5, -1, -1}, {2, -1, -1, -1, -1}, {4, 1, 0, 5, 2},
      {-1, -1, -1, -1, -1}};

  /** The user side of the NCE step: gather of the history rows, self-attention, pooling. */
  @Test
  void userEncoderGradientSurvivesAGarbageCollectionBeforeBackward() throws Exception {
    TinyPlm.engine();
    Random r = new Random(3);
    float[] vectors = gaussian(r, NEWS * DIM);
    float[] weights = gaussian(r, HISTORY.length * DIM);
    try (NDManager m = NDManager.newBaseManager()) {
      NewsRecModel model = new NewsRecModel(new NrmsNewsEncoder(10, DIM, 2, 4, 8, 0f),
          new SelfAttentiveEncoder(DIM, 2, 4, 8, 0f));
      model.initialize(m, DataType.FLOAT32, new Shape(1, 1));
      float[] quiet = userGradient(model, m, vectors, weights, false);
      // Every news of a history gets a gradient.
      for (int n = 0; n < NEWS; n++) {
        float norm = 0;
        for (int k = 0; k < DIM; k++) norm += Math.abs(quiet[n * DIM + k]);
        assertThat(norm).as("gradient of news %d", n).isGreaterThan(0f);
      }
      for (int round = 0; round < 2; round++) {
        assertThat(userGradient(model, m, vectors, weights, true)).as("round %d", round)
            .containsExactly(quiet);
      }
    }
  }

  /** The news side of PLM-NR: BERT layers (attention, scaled queries) and additive pooling. */
  @Test
  void plmNewsEncoderGradientSurvivesAGarbageCollectionBeforeBackward() throws Exception {
    TinyPlm.engine();
    long[] ids = {2, 17, 33, 45, 9, 3, 2, 71, 5, 3, 0, 0, 2, 40, 41, 42, 43, 3};
    long[] mask = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1};
    float[] weights = gaussian(new Random(4), 3 * 32);
    Map<String, float[]> quiet = plmGradients(ids, mask, weights, false);
    assertThat(quiet).containsKey("plm.encoder.layer.0.attention.self.query.weight");
    for (Map.Entry<String, float[]> e : quiet.entrySet()) {
      float norm = 0;
      for (float g : e.getValue()) norm += Math.abs(g);
      if (e.getKey().contains("query.weight") || e.getKey().contains("pooling")) {
        assertThat(norm).as(e.getKey()).isGreaterThan(0f);
      }
    }
    Map<String, float[]> collected = plmGradients(ids, mask, weights, true);
    assertThat(collected.keySet()).containsExactlyElementsOf(quiet.keySet());
    for (String name : quiet.keySet()) {
      assertThat(collected.get(name)).as(name).containsExactly(quiet.get(name));
    }
  }

  static float[] gaussian(Random r, int n) {
    float[] x = new float[n];
    for (int k = 0; k < n; k++) x[k] = (float) r.nextGaussian();
    return x;
  }

  static void collectGarbage() throws InterruptedException {
    for (int k = 0; k < 3; k++) {
      System.gc();
      Thread.sleep(30);
    }
  }

  /** d(sum(users * weights)) / d(news vectors), optionally with garbage collections before backward. */
  static float[] userGradient(NewsRecModel model, NDManager parent, float[] vectors,
      float[] weights, boolean gc) throws InterruptedException {
    try (NDManager m = parent.newSubManager()) {
      NDArray v = m.create(vectors, new Shape(NEWS, DIM));
      v.setRequiresGradient(true);
      NDArray w = m.create(weights, new Shape(HISTORY.length, DIM));
      try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
        NDArray loss = model.users(new ParameterStore(m, false), v, HISTORY, true).mul(w).sum();
        if (gc) collectGarbage();
        c.backward(loss);
      }
      return v.getGradient().toFloatArray();
    }
  }

  /** Parameter gradients of sum(news vectors * weights) for a fresh, identically seeded model. */
  static Map<String, float[]> plmGradients(long[] ids, long[] mask, float[] weights, boolean gc)
      throws InterruptedException {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(11);
      BertModel bert = BertModel.builder().setConfig(BertConfig.tiny().withDropout(0f, 0f)).build();
      bert.initialize(m, DataType.FLOAT32, new Shape(1, 1));
      PlmNewsEncoder enc = new PlmNewsEncoder(bert, 16);
      enc.pooling().initialize(m, DataType.FLOAT32, new Shape(1, 1, 32));
      try (NDManager step = m.newSubManager()) {
        NDArray w = step.create(weights, new Shape(3, 32));
        try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
          NDArray loss = enc.encode(new ParameterStore(step, false),
              step.create(ids, new Shape(3, 6)), step.create(mask, new Shape(3, 6)), true).mul(w).sum();
          if (gc) collectGarbage();
          c.backward(loss);
        }
      }
      Map<String, float[]> out = new LinkedHashMap<>();
      Map<String, Parameter> params = new LinkedHashMap<>();
      bert.namedParameters().forEach((n, p) -> params.put("plm." + n, p));
      enc.pooling().namedParameters().forEach((n, p) -> params.put("pooling." + n, p));
      params.forEach((n, p) -> out.put(n, p.getArray().getGradient().toFloatArray()));
      return out;
    }
  }
}
