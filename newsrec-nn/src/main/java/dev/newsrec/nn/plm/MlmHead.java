package dev.newsrec.nn.plm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * BERT's masked-language-model head: dense H->H, GELU, LayerNorm, then a decoder whose weight is
 * the word embedding matrix (tied, not a parameter of this block) plus this block's own bias.
 * Hugging Face names it {@code cls.predictions.} + {@code transform.dense}, {@code
 * transform.LayerNorm}, {@code bias}.
 */
public final class MlmHead extends PlmBlock {
  /** Prefix of this head's parameters in a Hugging Face BertForMaskedLM / BertForPreTraining. */
  public static final String HF_PREFIX = "cls.predictions.";

  private final BertConfig config;
  private final Parameter wordEmbedding;
  private final Dense transform;
  private final Norm norm;
  private final Parameter bias;

  private MlmHead(Builder b) {
    config = b.config;
    wordEmbedding = b.wordEmbedding;
    int h = config.hiddenSize();
    transform = child("transform.dense", Dense.builder().setInputSize(h).setOutputSize(h).build());
    norm = child("transform.LayerNorm",
        Norm.builder().setSize(h).optEps(config.layerNormEps()).build());
    bias = param("bias", Parameter.Type.BIAS, Initializer.ZEROS, new Shape(config.vocabSize()));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Unit-test size ({@link BertConfig#tiny()}), tied to {@code wordEmbedding}; not initialised. */
  public static MlmHead tiny(Parameter wordEmbedding) {
    return builder().setConfig(BertConfig.tiny()).setWordEmbedding(wordEmbedding).build();
  }

  /** hidden [..., H] -> logits [..., vocab] on hidden's manager. */
  public NDArray logits(ParameterStore ps, NDArray hidden, boolean training) {
    return scoped(() -> {
      NDArray t = norm.apply(ps, Activation.gelu(transform.apply(ps, hidden, training)), training);
      NDArray w = ps.getValue(wordEmbedding, hidden.getDevice(), training);
      NDArray b = ps.getValue(bias, hidden.getDevice(), training);
      return Linear.linear(t, w, b).singletonOrThrow();
    }, hidden);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(logits(ps, inputs.head(), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {in.slice(0, in.dimension() - 1).add(config.vocabSize())};
  }

  /** Builder: {@code setConfig} and {@code setWordEmbedding} required. */
  public static final class Builder {
    private BertConfig config;
    private Parameter wordEmbedding;

    public Builder setConfig(BertConfig config) {
      this.config = config;
      return this;
    }

    /** The encoder's word embedding matrix, e.g. {@code bert.embeddings().wordEmbedding()}. */
    public Builder setWordEmbedding(Parameter wordEmbedding) {
      this.wordEmbedding = wordEmbedding;
      return this;
    }

    public MlmHead build() {
      if (config == null || wordEmbedding == null) {
        throw new IllegalArgumentException("MlmHead needs setConfig and setWordEmbedding");
      }
      return new MlmHead(this);
    }
  }
}
