package dev.newsrec.nn.plm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One post-LayerNorm BERT layer, as Hugging Face's BertLayer: self-attention, dropout, residual,
 * LayerNorm; then dense to the intermediate size, exact (erf) GELU, dense back, dropout, residual,
 * LayerNorm.
 */
public final class BertLayer extends PlmBlock {
  private final BertConfig config;
  private final MultiHeadAttention attention;
  private final Norm attentionNorm;
  private final Dense intermediate;
  private final Dense output;
  private final Norm outputNorm;

  private BertLayer(Builder b) {
    config = b.config;
    int h = config.hiddenSize();
    attention = child("attention", MultiHeadAttention.builder().setHiddenSize(h)
        .setHeads(config.numAttentionHeads()).optDropout(config.attentionProbsDropoutProb())
        .optNames("self.query", "self.key", "self.value", "output.dense").build());
    attentionNorm = child("attention.output.LayerNorm",
        Norm.builder().setSize(h).optEps(config.layerNormEps()).build());
    intermediate = child("intermediate.dense",
        Dense.builder().setInputSize(h).setOutputSize(config.intermediateSize()).build());
    output = child("output.dense",
        Dense.builder().setInputSize(config.intermediateSize()).setOutputSize(h).build());
    outputNorm = child("output.LayerNorm",
        Norm.builder().setSize(h).optEps(config.layerNormEps()).build());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Unit-test size ({@link BertConfig#tiny()}), not initialised. */
  public static BertLayer tiny() {
    return builder().setConfig(BertConfig.tiny()).build();
  }

  /** hidden [B,T,H], additive mask [B,1,1,T] or null; returns [B,T,H] on hidden's manager. */
  public NDArray apply(ParameterStore ps, NDArray hidden, NDArray mask, boolean training) {
    float p = config.hiddenDropoutProb();
    return scoped(training, () -> {
      NDArray a = attention.attend(ps, hidden, hidden, mask, training);
      NDArray x = attentionNorm.apply(ps, residual(dropout(a, p, training), hidden, training),
          training);
      NDArray i = Activation.gelu(intermediate.apply(ps, x, training));
      NDArray o = dropout(output.apply(ps, i, training), p, training);
      return outputNorm.apply(ps, residual(o, x, training), training);
    }, hidden, mask);
  }

  /** y + skip; outside training in place into y (a temporary of this layer): one array less. */
  private static NDArray residual(NDArray y, NDArray skip, boolean training) {
    return training ? y.add(skip) : y.addi(skip);
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

    public BertLayer build() {
      if (config == null) {
        throw new IllegalArgumentException("BertLayer needs setConfig");
      }
      return new BertLayer(this);
    }
  }
}
