package dev.newsrec.nn.plm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Backprop through encoder, MLM head, causal decoder and additive pooling on the tiny model. */
class GradientTest {
  @Test
  void everyTrainableParameterGetsAGradient() {
    check(false, 0);
  }

  @Test
  void frozenParametersGetNone() {
    check(true, 1);
  }

  @Test
  void trainingStepsLeaveNoArraysOnTheWeightsManager() {
    try (NDManager manager = PlmTesting.manager()) {
      BertModel bert = PlmTesting.tinyModel(manager);
      ParameterStore ps = new ParameterStore(manager, false);
      int weights = ((ai.djl.ndarray.BaseNDManager) manager).getManagedArrays().size();
      for (int step = 0; step < 50; step++) {
        try (NDManager batch = manager.newSubManager();
            GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray hidden = bert.encode(ps, batch.create(PlmTesting.tinyIds()),
              batch.create(PlmTesting.tinyMask()), null, null, true);
          gc.backward(hidden.square().mean());
        }
      }
      assertThat(((ai.djl.ndarray.BaseNDManager) manager).getManagedArrays()).hasSize(weights);
    }
  }

  private static void check(boolean freezeEmbeddings, int frozenLayers) {
    BertConfig config = BertConfig.tiny();
    try (NDManager manager = PlmTesting.manager()) {
      BertModel bert = PlmTesting.tinyModel(manager, BertModel.builder().setConfig(config)
          .optSegmentEmbedding(50, BertEmbeddings.SegmentMode.ADDED));
      MlmHead head = MlmHead.builder().setConfig(config)
          .setWordEmbedding(bert.embeddings().wordEmbedding()).build();
      CausalDecoderBlock decoder = CausalDecoderBlock.builder().setConfig(config).build();
      AdditiveAttention pool = AdditiveAttention.builder().setInputSize(32).optQueryDim(8).build();
      for (PlmBlock b : new PlmBlock[] {head, decoder, pool}) {
        b.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 32));
      }
      bert.freeze(freezeEmbeddings, frozenLayers);

      Map<String, Parameter> all = new LinkedHashMap<>();
      bert.namedParameters().forEach((n, p) -> all.put("bert." + n, p));
      head.namedParameters().forEach((n, p) -> all.put("head." + n, p));
      decoder.namedParameters().forEach((n, p) -> all.put("decoder." + n, p));
      pool.namedParameters().forEach((n, p) -> all.put("pool." + n, p));

      ParameterStore ps = new ParameterStore(manager, false);
      try (NDManager step = manager.newSubManager();
          GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray ids = step.create(PlmTesting.tinyIds());
        NDArray mask = step.create(PlmTesting.tinyMask());
        NDArray segments = step.create(new long[][] {{0, 1, 1, 2, 2, 3}, {0, 1, 1, 1, 0, 0}});
        NDArray types = step.create(new long[][] {{0, 0, 0, 1, 1, 1}, {0, 0, 1, 1, 0, 0}});
        NDArray hidden = bert.encode(ps, ids, mask, types, segments, true);
        NDArray mlm = head.logits(ps, hidden, true).logSoftmax(-1).get(":, :, 5").mean();
        NDArray gen = head.logits(ps, decoder.apply(ps, hidden, mask, true), true)
            .logSoftmax(-1).get(":, :, 7").mean();
        NDArray pooled = pool.pool(ps, hidden, mask, true).square().mean();
        gc.backward(mlm.add(gen).add(pooled).neg());
      }
      for (Map.Entry<String, Parameter> e : all.entrySet()) {
        String name = e.getKey();
        NDArray value = e.getValue().getArray();
        boolean frozen = (freezeEmbeddings && (name.startsWith("bert.embeddings.")))
            || (name.startsWith("bert.encoder.layer.") && layer(name) < frozenLayers);
        if (frozen) {
          assertThat(e.getValue().requiresGradient()).as(name).isFalse();
          assertThat(value.hasGradient()).as(name + " has a gradient").isFalse();
        } else {
          assertThat(value.hasGradient()).as(name + " has no gradient").isTrue();
          try (NDArray grad = value.getGradient()) {
            assertThat(grad.abs().sum().getFloat()).as(name + " gradient is zero")
                .isGreaterThan(0f);
          }
        }
      }
    }
  }

  private static int layer(String name) {
    String rest = name.substring("bert.encoder.layer.".length());
    return Integer.parseInt(rest.substring(0, rest.indexOf('.')));
  }
}
