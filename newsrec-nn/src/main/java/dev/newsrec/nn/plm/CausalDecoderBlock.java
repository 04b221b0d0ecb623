package dev.newsrec.nn.plm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A GPT-2 style decoder block sized from a BERT config (PUNR's generation decoder): pre-LayerNorm
 * causal self-attention and MLP, each with a residual, then (optionally, as GPT-2's ln_f) a final
 * LayerNorm. The MLP uses exact GELU like the BERT side. Attention is {@link MultiHeadAttention}
 * with a causal mask combined with the padding mask.
 */
public final class CausalDecoderBlock extends PlmBlock {
  private final BertConfig config;
  private final Norm ln1;
  private final MultiHeadAttention attention;
  private final Norm ln2;
  private final Dense fc;
  private final Dense proj;
  private final Norm lnFinal;

  private CausalDecoderBlock(Builder b) {
    config = b.config;
    int h = config.hiddenSize();
    float eps = config.layerNormEps();
    ln1 = child("ln_1", Norm.builder().setSize(h).optEps(eps).build());
    attention = child("attn", MultiHeadAttention.builder().setHiddenSize(h)
        .setHeads(config.numAttentionHeads()).optDropout(config.attentionProbsDropoutProb())
        .optNames("query", "key", "value", "c_proj").build());
    ln2 = child("ln_2", Norm.builder().setSize(h).optEps(eps).build());
    fc = child("mlp.c_fc",
        Dense.builder().setInputSize(h).setOutputSize(config.intermediateSize()).build());
    proj = child("mlp.c_proj",
        Dense.builder().setInputSize(config.intermediateSize()).setOutputSize(h).build());
    lnFinal = b.finalNorm ? child("ln_f", Norm.builder().setSize(h).optEps(eps).build()) : null;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Unit-test size ({@link BertConfig#tiny()}), not initialised. */
  public static CausalDecoderBlock tiny() {
    return builder().setConfig(BertConfig.tiny()).build();
  }

  /**
   * x [B,T,H], mask [B,T] (1 = token) or null. Position t sees positions 0..t only. Returns
   * [B,T,H] on x's manager.
   */
  public NDArray apply(ParameterStore ps, NDArray x, NDArray mask, boolean training) {
    float p = config.hiddenDropoutProb();
    return scoped(() -> {
      NDArray additive = causalMask(x.getManager(), x.getShape().get(1));
      if (mask != null) {
        additive = additive.add(paddingMask(mask));
      }
      NDArray normed = ln1.apply(ps, x, training);
      NDArray a = attention.attend(ps, normed, normed, additive, training);
      NDArray h = x.add(dropout(a, p, training));
      NDArray m = proj.apply(ps, Activation.gelu(fc.apply(ps, ln2.apply(ps, h, training),
          training)), training);
      NDArray y = h.add(dropout(m, p, training));
      return lnFinal == null ? y : lnFinal.apply(ps, y, training);
    }, x, mask);
  }

  /** Inputs: [x, mask?]; output: [y]. */
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

  /** Builder: {@code setConfig} required; {@code optFinalNorm} defaults to true. */
  public static final class Builder {
    private BertConfig config;
    private boolean finalNorm = true;

    public Builder setConfig(BertConfig config) {
      this.config = config;
      return this;
    }

    public Builder optFinalNorm(boolean finalNorm) {
      this.finalNorm = finalNorm;
      return this;
    }

    public CausalDecoderBlock build() {
      if (config == null) {
        throw new IllegalArgumentException("CausalDecoderBlock needs setConfig");
      }
      return new CausalDecoderBlock(this);
    }
  }
}
