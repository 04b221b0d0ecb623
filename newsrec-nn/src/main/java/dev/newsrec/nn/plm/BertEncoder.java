package dev.newsrec.nn.plm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The stack of {@code config.numHiddenLayers()} BERT layers, named {@code layer.N}. */
public final class BertEncoder extends PlmBlock {
  private final List<BertLayer> layers;

  private BertEncoder(Builder b) {
    List<BertLayer> list = new ArrayList<>();
    for (int i = 0; i < b.config.numHiddenLayers(); i++) {
      list.add(child("layer." + i, BertLayer.builder().setConfig(b.config).build()));
    }
    layers = Collections.unmodifiableList(list);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Unit-test size ({@link BertConfig#tiny()}), not initialised. */
  public static BertEncoder tiny() {
    return builder().setConfig(BertConfig.tiny()).build();
  }

  public List<BertLayer> layers() {
    return layers;
  }

  /** hidden [B,T,H], additive mask [B,1,1,T] or null; returns [B,T,H] on hidden's manager. */
  public NDArray apply(ParameterStore ps, NDArray hidden, NDArray mask, boolean training) {
    return scoped(training, () -> {
      NDArray x = hidden;
      for (BertLayer layer : layers) {
        x = layer.apply(ps, x, mask, training);
      }
      return x;
    }, hidden, mask);
  }

  /** Inputs: [hidden, additiveMask?]; output: [hidden]. */
  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(apply(ps, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null,
        training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  /** Builder: {@code setConfig} required. */
  public static final class Builder {
    private BertConfig config;

    public Builder setConfig(BertConfig config) {
      this.config = config;
      return this;
    }

    public BertEncoder build() {
      if (config == null) {
        throw new IllegalArgumentException("BertEncoder needs setConfig");
      }
      return new BertEncoder(this);
    }
  }
}
