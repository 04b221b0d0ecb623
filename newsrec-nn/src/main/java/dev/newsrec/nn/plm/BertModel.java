package dev.newsrec.nn.plm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.newsrec.core.UserException;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face BERT encoder without pooler: embeddings then the layer stack, returning the last
 * hidden states [B,T,H]. Parameter names match {@code BertModel} in Python transformers
 * ({@code embeddings.word_embeddings.weight}, {@code encoder.layer.0.attention.self.query.weight},
 * ...), see {@link #namedParameters()}.
 *
 * <p>Typical use: {@code BertModel m = BertModel.builder().setConfig(cfg).build();
 * m.initialize(manager, DataType.FLOAT32, new Shape(1, 8));} then load weights with
 * {@link dev.newsrec.nn.plm.weights.HfFolder#load} or {@link
 * dev.newsrec.nn.plm.weights.MiniLm#load}.
 */
public final class BertModel extends PlmBlock {
  private final BertConfig config;
  private final BertEmbeddings embeddings;
  private final BertEncoder encoder;

  private BertModel(Builder b) {
    config = b.numLayers > 0 ? b.config.withLayers(b.numLayers) : b.config;
    embeddings = child("embeddings", BertEmbeddings.builder().setConfig(config)
        .optSegmentEmbedding(b.segmentRows, b.segmentMode).build());
    encoder = child("encoder", BertEncoder.builder().setConfig(config).build());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Unit-test size ({@link BertConfig#tiny()}), not initialised. */
  public static BertModel tiny() {
    return builder().setConfig(BertConfig.tiny()).build();
  }

  /** The configuration actually built (after layer truncation). */
  public BertConfig config() {
    return config;
  }

  public BertEmbeddings embeddings() {
    return embeddings;
  }

  public BertEncoder encoder() {
    return encoder;
  }

  /**
   * The models' {@code trainable_layers} option: -1 trains everything; k >= 0 freezes the
   * embeddings and every layer but the top k.
   */
  public void trainTop(int trainableLayers) {
    if (trainableLayers < 0) return;
    int layers = config.numHiddenLayers();
    if (trainableLayers > layers) {
      throw new UserException("trainable_layers " + trainableLayers + " > the PLM's " + layers + " layers");
    }
    freeze(true, layers - trainableLayers);
  }

  /**
   * Freezes the embeddings (when {@code embeddings}) and the first {@code layers} layers; every
   * other parameter becomes trainable. Frozen parameters receive no gradient.
   */
  public void freeze(boolean embeddings, int layers) {
    if (layers < 0 || layers > config.numHiddenLayers()) {
      throw new UserException("cannot freeze " + layers + " layers of a model with "
          + config.numHiddenLayers());
    }
    for (Parameter p : this.embeddings.namedParameters().values()) {
      p.freeze(embeddings);
    }
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      boolean frozen = i < layers;
      for (Parameter p : encoder.layers().get(i).namedParameters().values()) {
        p.freeze(frozen);
      }
    }
  }

  /**
   * Encodes a batch. ids and mask [B,T] (mask 1 = token, 0 = padding); tokenTypes and segments
   * [B,T] or null. Returns the last hidden states [B,T,H], attached to ids' manager (the caller
   * owns them); temporaries are closed before returning.
   */
  public NDArray encode(ParameterStore ps, NDArray ids, NDArray mask, NDArray tokenTypes,
      NDArray segments, boolean training) {
    return scoped(training, () -> {
      NDArray x = embeddings.embed(ps, ids, tokenTypes, segments, training);
      // Outside training a batch without padding (titles batched by length) needs no mask: adding
      // an all-zero mask changes nothing, so skipping it saves one add per layer.
      NDArray additive = mask == null || (!training && noPadding(mask)) ? null : paddingMask(mask);
      return encoder.apply(ps, x, additive, training);
    }, ids, mask, tokenTypes, segments);
  }

  /**
   * Hidden states after the embeddings and the first {@code layers} layers [N,T,H] (the frozen
   * part of a model that trains only its top layers; {@link #hiddenFrom} runs the rest). A
   * segment table, when the model has one, reads segment 0 everywhere, as a title does.
   */
  public NDArray hiddenUpTo(ParameterStore ps, NDArray ids, NDArray mask, int layers,
      boolean training) {
    return scoped(training, () -> {
      NDArray segments = embeddings.segmentRows() > 0 ? ids.zerosLike() : null;
      NDArray h = embeddings.embed(ps, ids, null, segments, training);
      NDArray additive = paddingMask(mask);
      List<BertLayer> all = encoder.layers();
      for (int l = 0; l < layers; l++) h = all.get(l).apply(ps, h, additive, training);
      return h;
    }, ids, mask);
  }

  /** Runs layers {@code from}.. on hidden states from {@link #hiddenUpTo}: the last hidden states. */
  public NDArray hiddenFrom(ParameterStore ps, NDArray hidden, NDArray mask, int from,
      boolean training) {
    return scoped(training, () -> {
      NDArray h = hidden;
      NDArray additive = paddingMask(mask);
      List<BertLayer> all = encoder.layers();
      for (int l = from; l < all.size(); l++) h = all.get(l).apply(ps, h, additive, training);
      return h;
    }, hidden, mask);
  }

  private static boolean noPadding(NDArray mask) {
    try (NDArray all = mask.all()) {
      return all.getBoolean();
    }
  }

  /**
   * Inputs: [ids, mask?, tokenTypes?, segments?] (all [B,T]); output: [last hidden [B,T,H]]. An
   * empty (size 0) array stands for "not given".
   */
  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(encode(ps, inputs.get(0), optional(inputs, 1), optional(inputs, 2),
        optional(inputs, 3), training));
  }

  private static NDArray optional(NDList inputs, int i) {
    if (inputs.size() <= i || inputs.get(i).isEmpty()) {
      return null;
    }
    return inputs.get(i);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0].add(config.hiddenSize())};
  }

  /** All parameters by Hugging Face BertModel name. */
  @Override
  public Map<String, Parameter> namedParameters() {
    return super.namedParameters();
  }

  /** Builder: {@code setConfig} required. */
  public static final class Builder {
    private BertConfig config;
    private int numLayers;
    private int segmentRows;
    private BertEmbeddings.SegmentMode segmentMode =
        BertEmbeddings.SegmentMode.REPLACES_TOKEN_TYPE;

    public Builder setConfig(BertConfig config) {
      this.config = config;
      return this;
    }

    /** Keeps only the first {@code numLayers} layers (layer truncation); 0 keeps all. */
    public Builder optNumLayers(int numLayers) {
      this.numLayers = numLayers;
      return this;
    }

    /** Adds PUNR's segment (behaviour index) embedding table. */
    public Builder optSegmentEmbedding(int rows, BertEmbeddings.SegmentMode mode) {
      this.segmentRows = rows;
      this.segmentMode = mode;
      return this;
    }

    public BertModel build() {
      if (config == null) {
        throw new IllegalArgumentException("BertModel needs setConfig");
      }
      return new BertModel(this);
    }
  }
}
