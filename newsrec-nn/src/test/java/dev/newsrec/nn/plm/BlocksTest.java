package dev.newsrec.nn.plm;

import static dev.newsrec.nn.plm.PlmTesting.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import dev.newsrec.core.UserException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BlocksTest {
  private NDManager manager;
  private ParameterStore ps;

  @BeforeEach
  void open() {
    manager = PlmTesting.manager();
    ps = PlmTesting.store(manager);
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void encodesToLastHiddenStatesWithHfNames() {
    BertModel model = PlmTesting.tinyModel(manager);
    try (NDManager batch = manager.newSubManager()) {
      NDArray ids = batch.create(PlmTesting.tinyIds());
      NDArray mask = batch.create(PlmTesting.tinyMask());
      NDList out = model.forward(ps, new NDList(ids, mask), false);
      assertThat(out.head().getShape()).isEqualTo(new Shape(2, 6, 32));
      assertThat(out.head().getManager()).isSameAs(batch);
    }
    assertThat(model.namedParameters()).containsKeys(
        "embeddings.word_embeddings.weight", "embeddings.LayerNorm.weight",
        "encoder.layer.0.attention.self.query.weight", "encoder.layer.1.attention.output.dense.bias",
        "encoder.layer.1.attention.output.LayerNorm.bias", "encoder.layer.0.intermediate.dense.weight",
        "encoder.layer.1.output.dense.weight", "encoder.layer.1.output.LayerNorm.weight");
    assertThat(model.namedParameters()).hasSize(5 + 2 * 16);
    assertThat(model.namedParameters().get("encoder.layer.0.intermediate.dense.weight").getShape())
        .isEqualTo(new Shape(64, 32));
  }

  @Test
  void paddingDoesNotChangeRealPositionsAndInferenceIsDeterministic() {
    BertModel model = PlmTesting.tinyModel(manager);
    try (NDManager batch = manager.newSubManager()) {
      NDArray padded = model.encode(ps, batch.create(PlmTesting.tinyIds()),
          batch.create(PlmTesting.tinyMask()), null, null, false);
      NDArray alone = model.encode(ps, batch.create(new long[][] {{2, 71, 5, 3}}),
          batch.create(new long[][] {{1, 1, 1, 1}}), null, null, false);
      assertThat(maxAbsDiff(padded.get("1, :4"), alone.get(0))).isLessThan(1e-5f);
      NDArray again = model.encode(ps, batch.create(PlmTesting.tinyIds()),
          batch.create(PlmTesting.tinyMask()), null, null, false);
      assertThat(maxAbsDiff(padded, again)).isEqualTo(0f);
      NDArray trained = model.encode(ps, batch.create(PlmTesting.tinyIds()),
          batch.create(PlmTesting.tinyMask()), null, null, true);
      assertThat(maxAbsDiff(padded, trained)).isGreaterThan(1e-3f);
    }
  }

  @Test
  void forwardLeavesNoArraysBehind() {
    BertModel model = PlmTesting.tinyModel(manager);
    int weights = ((ai.djl.ndarray.BaseNDManager) manager).getManagedArrays().size();
    try (NDManager batch = manager.newSubManager()) {
      NDArray ids = batch.create(PlmTesting.tinyIds());
      NDArray mask = batch.create(PlmTesting.tinyMask());
      model.encode(ps, ids, mask, null, null, true);
      assertThat(((ai.djl.ndarray.BaseNDManager) batch).getManagedArrays()).hasSize(3);
      assertThat(ids.getManager()).isSameAs(batch);
    }
    assertThat(((ai.djl.ndarray.BaseNDManager) manager).getManagedArrays()).hasSize(weights);
  }

  @Test
  void layerTruncationKeepsFirstLayers() {
    BertModel full = PlmTesting.tinyModel(manager);
    BertModel cut = PlmTesting.tinyModel(manager,
        BertModel.builder().setConfig(BertConfig.tiny()).optNumLayers(1));
    assertThat(cut.config().numHiddenLayers()).isEqualTo(1);
    assertThat(cut.namedParameters()).hasSize(5 + 16);
    cut.namedParameters().forEach((n, p) -> p.getArray().set(
        full.namedParameters().get(n).getArray().toFloatArray()));
    try (NDManager batch = manager.newSubManager()) {
      NDArray ids = batch.create(PlmTesting.tinyIds());
      NDArray mask = batch.create(PlmTesting.tinyMask());
      NDArray x = full.embeddings().embed(ps, ids, null, null, false);
      NDArray one = full.encoder().layers().get(0).apply(ps, x, PlmBlock.paddingMask(mask), false);
      assertThat(maxAbsDiff(cut.encode(ps, ids, mask, null, null, false), one)).isEqualTo(0f);
    }
    assertThatThrownBy(() -> BertModel.builder().setConfig(BertConfig.tiny()).optNumLayers(3)
        .build()).isInstanceOf(UserException.class);
  }

  @Test
  void segmentTableStartsNeutral() {
    for (BertEmbeddings.SegmentMode mode : BertEmbeddings.SegmentMode.values()) {
      BertModel plain = PlmTesting.tinyModel(manager);
      BertModel seg = PlmTesting.tinyModel(manager,
          BertModel.builder().setConfig(BertConfig.tiny()).optSegmentEmbedding(50, mode));
      assertThat(seg.namedParameters().get("embeddings.segment_embeddings.weight").getShape())
          .isEqualTo(new Shape(50, 32));
      plain.namedParameters().forEach((n, p) -> seg.namedParameters().get(n).getArray()
          .set(p.getArray().toFloatArray()));
      seg.embeddings().resetSegmentTable();
      try (NDManager batch = manager.newSubManager()) {
        NDArray ids = batch.create(PlmTesting.tinyIds());
        NDArray mask = batch.create(PlmTesting.tinyMask());
        NDArray segments = batch.create(new long[][] {{0, 1, 1, 2, 2, 49}, {0, 1, 1, 1, 0, 0}});
        NDArray a = plain.encode(ps, ids, mask, null, null, false);
        NDArray b = seg.encode(ps, ids, mask, null, segments, false);
        assertThat(maxAbsDiff(a, b)).as(mode.name()).isLessThan(1e-5f);
      }
    }
  }

  @Test
  void attentionServesOtherSizesAndCrossAttention() {
    MultiHeadAttention nrms = MultiHeadAttention.builder().setHiddenSize(16).setHeads(4)
        .optInputSize(30).optOutputProjection(false).build();
    nrms.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 30));
    assertThat(nrms.namedParameters()).containsOnlyKeys("query.weight", "query.bias",
        "key.weight", "key.bias", "value.weight", "value.bias");
    try (NDManager batch = manager.newSubManager()) {
      NDArray titles = batch.randomNormal(new Shape(2, 5, 30));
      NDArray entities = batch.randomNormal(new Shape(2, 3, 30));
      assertThat(nrms.attend(ps, titles, titles, null, false).getShape())
          .isEqualTo(new Shape(2, 5, 16));
      assertThat(nrms.attend(ps, titles, entities, null, false).getShape())
          .isEqualTo(new Shape(2, 5, 16));
      BertModel model = PlmTesting.tinyModel(manager);
      NDArray ids = batch.create(PlmTesting.tinyIds());
      assertThat(model.embeddings().wordVectors(ps, ids, false).getShape())
          .isEqualTo(new Shape(2, 6, 32));
    }
  }

  @Test
  void inferenceSelfAttentionLeavesNothingOnTheWeightsManager() {
    MultiHeadAttention mha = MultiHeadAttention.tiny();
    mha.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 32));
    int before = manager.getManagedArrays().size();
    try (NDManager batch = manager.newSubManager()) {
      NDArray x = batch.randomNormal(new Shape(2, 3, 32));
      for (int i = 0; i < 3; i++) mha.attend(ps, x, x, null, false); // the fused-QKV path
    }
    // The fused weight of every call once stayed there: a serving process grew 1.7 MB per request.
    assertThat(manager.getManagedArrays()).hasSize(before);
  }

  @Test
  void tinyPresetsInitialiseAndRun() {
    BertModel model = BertModel.tiny();
    model.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
    PlmBlock[] blocks = {BertLayer.tiny(), BertEncoder.tiny(), CausalDecoderBlock.tiny(),
        MultiHeadAttention.tiny(), AdditiveAttention.tiny(), Dense.tiny(), Norm.tiny(),
        MlmHead.tiny(model.embeddings().wordEmbedding())};
    try (NDManager batch = manager.newSubManager()) {
      NDArray x = batch.randomNormal(new Shape(2, 3, 32));
      for (PlmBlock b : blocks) {
        b.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 32));
        Shape out = b.forward(ps, new NDList(x), false).head().getShape();
        assertThat(out).as(b.getClass().getSimpleName())
            .isEqualTo(b.getOutputShapes(new Shape[] {x.getShape()})[0]);
      }
      BertEmbeddings emb = BertEmbeddings.tiny();
      emb.initialize(manager, DataType.FLOAT32, new Shape(2, 3));
      assertThat(emb.forward(ps, new NDList(batch.create(new long[][] {{1, 2, 3}})), false)
          .head().getShape()).isEqualTo(new Shape(1, 3, 32));
    }
  }

  @Test
  void djlParameterFilesRoundTrip() throws Exception {
    BertModel model = PlmTesting.tinyModel(manager);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
      model.saveParameters(out);
    }
    BertModel copy = PlmTesting.tinyModel(manager);
    try (java.io.DataInputStream in = new java.io.DataInputStream(
        new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      copy.loadParameters(manager, in);
    }
    try (NDManager batch = manager.newSubManager()) {
      NDArray ids = batch.create(PlmTesting.tinyIds());
      NDArray mask = batch.create(PlmTesting.tinyMask());
      assertThat(maxAbsDiff(model.encode(ps, ids, mask, null, null, false),
          copy.encode(ps, ids, mask, null, null, false))).isEqualTo(0f);
    }
  }

  @Test
  void causalDecoderNeverLooksAhead() {
    CausalDecoderBlock dec = CausalDecoderBlock.builder().setConfig(BertConfig.tiny()).build();
    dec.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 32));
    assertThat(dec.namedParameters()).containsKeys("ln_1.weight", "attn.query.weight",
        "attn.c_proj.bias", "ln_2.bias", "mlp.c_fc.weight", "mlp.c_proj.weight", "ln_f.weight");
    try (NDManager batch = manager.newSubManager()) {
      NDArray x = batch.randomNormal(new Shape(2, 5, 32));
      NDArray changed = x.duplicate();
      changed.set(new NDIndex(":, 3:"), batch.randomNormal(new Shape(2, 2, 32)));
      NDArray y1 = dec.apply(ps, x, null, false);
      NDArray y2 = dec.apply(ps, changed, null, false);
      assertThat(maxAbsDiff(y1.get(":, :3"), y2.get(":, :3"))).isLessThan(1e-6f);
      assertThat(maxAbsDiff(y1.get(":, 3:"), y2.get(":, 3:"))).isGreaterThan(1e-3f);
      NDArray mask = batch.create(new long[][] {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}});
      assertThat(dec.forward(ps, new NDList(x, mask), false).head().getShape())
          .isEqualTo(new Shape(2, 5, 32));
    }
  }

  @Test
  void additiveAttentionIgnoresMaskedPositions() {
    AdditiveAttention pool = AdditiveAttention.builder().setInputSize(32).optQueryDim(16).build();
    pool.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 32));
    try (NDManager batch = manager.newSubManager()) {
      NDArray x = batch.randomNormal(new Shape(2, 4, 32));
      NDArray mask = batch.create(new long[][] {{1, 1, 1, 1}, {1, 1, 0, 0}});
      NDArray w = pool.weights(ps, x, mask, false);
      assertThat(w.sum(new int[] {1}).toFloatArray()).containsExactly(new float[] {1f, 1f}, org.assertj.core.data.Offset.offset(1e-5f));
      assertThat(w.get("1, 2:").abs().max().getFloat()).isLessThan(1e-6f);
      NDArray pooled = pool.pool(ps, x, mask, false);
      assertThat(pooled.getShape()).isEqualTo(new Shape(2, 32));
      NDArray changed = x.duplicate();
      changed.set(new NDIndex("1, 2:"), 100f);
      assertThat(maxAbsDiff(pooled, pool.pool(ps, changed, mask, false))).isLessThan(1e-5f);
    }
  }

  @Test
  void mlmHeadIsTiedToWordEmbeddings() {
    BertModel model = PlmTesting.tinyModel(manager);
    MlmHead head = MlmHead.builder().setConfig(BertConfig.tiny())
        .setWordEmbedding(model.embeddings().wordEmbedding()).build();
    head.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 32));
    assertThat(head.namedParameters()).containsOnlyKeys("transform.dense.weight",
        "transform.dense.bias", "transform.LayerNorm.weight", "transform.LayerNorm.bias", "bias");
    try (NDManager batch = manager.newSubManager()) {
      NDArray h = model.encode(ps, batch.create(PlmTesting.tinyIds()),
          batch.create(PlmTesting.tinyMask()), null, null, false);
      NDArray logits = head.logits(ps, h, false);
      assertThat(logits.getShape()).isEqualTo(new Shape(2, 6, 100));
      float before = logits.getFloat(0, 0, 7);
      NDArray word = model.embeddings().wordEmbedding().getArray();
      word.set(new NDIndex("7"), 0f);
      float after = head.logits(ps, h, false).getFloat(0, 0, 7);
      assertThat(after).isNotEqualTo(before).isEqualTo(0f);
    }
  }
}
