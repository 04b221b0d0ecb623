package dev.newsrec.nn.plm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The inference path ({@code training == false}): autograd off, fused query/key/value projection,
 * in-place residuals, no mask for batches without padding. It must give the training path's
 * numbers (dropout off) and record nothing for a backward pass.
 */
class InferencePathTest {
  private static BertModel noDropout(NDManager manager) {
    return PlmTesting.tinyModel(manager,
        BertModel.builder().setConfig(BertConfig.tiny().withDropout(0f, 0f)));
  }

  @Test
  void inferenceEqualsTheTrainingPathWithoutDropout() {
    try (NDManager manager = PlmTesting.manager()) {
      BertModel bert = noDropout(manager);
      ParameterStore ps = PlmTesting.store(manager);
      long[][][] masks = {PlmTesting.tinyMask(), {{1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1}}};
      for (long[][] mask : masks) {
        try (NDManager step = manager.newSubManager()) {
          NDArray ids = step.create(PlmTesting.tinyIds());
          NDArray m = step.create(mask);
          NDArray inference = bert.encode(ps, ids, m, null, null, false);
          NDArray training = bert.encode(ps, ids, m, null, null, true);
          assertThat(PlmTesting.maxAbsDiff(inference, training)).isLessThan(1e-5f);
          // the inputs are left as they were (residuals go in place into temporaries only)
          assertThat(ids.toLongArray()).containsExactly(
              java.util.Arrays.stream(PlmTesting.tinyIds()).flatMapToLong(java.util.Arrays::stream)
                  .toArray());
        }
      }
    }
  }

  @Test
  void inferenceRecordsNoGraphEvenWhereGradModeIsOn() {
    try (NDManager manager = PlmTesting.manager()) {
      BertModel bert = noDropout(manager);
      ParameterStore ps = PlmTesting.store(manager);
      try (NDManager step = manager.newSubManager();
          GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray ids = step.create(PlmTesting.tinyIds());
        NDArray mask = step.create(PlmTesting.tinyMask());
        NDArray inference = bert.encode(ps, ids, mask, null, null, false);
        assertThat(JniUtils.isGradMode()).as("grad mode restored").isTrue();
        // no graph: PyTorch refuses a backward pass through it
        assertThatThrownBy(() -> gc.backward(inference.sum())).isInstanceOf(RuntimeException.class);
        NDArray training = bert.encode(ps, ids, mask, null, null, true);
        gc.backward(training.sum());
      }
      NDArray w = bert.namedParameters().get("encoder.layer.0.attention.self.query.weight")
          .getArray();
      assertThat(w.getGradient().abs().sum().getFloat()).isGreaterThan(0f);
    }
  }

  @Test
  void aFreshThreadKeepsItsGradMode() throws Exception {
    try (NDManager manager = PlmTesting.manager()) {
      BertModel bert = noDropout(manager);
      ParameterStore ps = PlmTesting.store(manager);
      AtomicReference<Object[]> seen = new AtomicReference<>();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      // a fresh thread starts with PyTorch's grad mode on (DJL turns it off only where the engine
      // loaded), as scorer threads do; the inference path turns it off and back on
      Thread t = new Thread(() -> {
        try (NDManager step = manager.newSubManager()) {
          boolean before = JniUtils.isGradMode();
          bert.encode(ps, step.create(PlmTesting.tinyIds()), step.create(PlmTesting.tinyMask()),
              null, null, false);
          seen.set(new Object[] {before, JniUtils.isGradMode()});
        } catch (Throwable e) {
          failure.set(e);
        }
      });
      t.start();
      t.join();
      assertThat(failure.get()).isNull();
      assertThat(seen.get()).containsExactly(true, true);
    }
  }
}
