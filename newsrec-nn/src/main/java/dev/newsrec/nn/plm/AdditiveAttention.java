package dev.newsrec.nn.plm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Additive attention pooling (NRMS, PLM-NR, IP2): score_t = q^T tanh(W h_t + b), a masked softmax
 * over positions, and the weighted sum of the h_t. Parameters: {@code dense.weight} [A,H], {@code
 * dense.bias} [A], {@code query} [1,A].
 */
public final class AdditiveAttention extends PlmBlock {
  private final long inputSize;
  private final Dense dense;
  private final Parameter query;

  private AdditiveAttention(Builder b) {
    inputSize = b.inputSize;
    dense = child("dense", Dense.builder().setInputSize(b.inputSize)
        .setOutputSize(b.queryDim).build());
    query = param("query", Parameter.Type.WEIGHT, BERT_INIT, new Shape(1, b.queryDim));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Unit-test size: input 32, query 16; not initialised. */
  public static AdditiveAttention tiny() {
    return builder().setInputSize(32).optQueryDim(16).build();
  }

  /** x [B,T,H], mask [B,T] (1 = keep) or null; returns the pooled [B,H] on x's manager. */
  public NDArray pool(ParameterStore ps, NDArray x, NDArray mask, boolean training) {
    return scoped(training, () -> weighted(x, weights(ps, x, mask, training)), x, mask);
  }

  /** The attention weights [B,T] (rows sum to 1 over unmasked positions), on x's manager. */
  public NDArray weights(ParameterStore ps, NDArray x, NDArray mask, boolean training) {
    return scoped(() -> {
      NDArray hidden = Activation.tanh(dense.apply(ps, x, training));
      NDArray q = ps.getValue(query, x.getDevice(), training);
      NDArray scores = Linear.linear(hidden, q).singletonOrThrow().squeeze(-1);
      if (mask != null) {
        scores = scores.add(mask.toType(scores.getDataType(), false).neg().add(1f).mul(MASKED));
      }
      return scores.softmax(-1);
    }, x, mask);
  }

  private static NDArray weighted(NDArray x, NDArray weights) {
    return weights.expandDims(1).matMul(x).squeeze(1);
  }

  /** Inputs: [x, mask?]; output: [pooled]. */
  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(pool(ps, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null,
        training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), inputSize)};
  }

  /** Builder: {@code setInputSize} required; {@code optQueryDim} defaults to 200 (NRMS). */
  public static final class Builder {
    private long inputSize = -1;
    private long queryDim = 200;

    public Builder setInputSize(long inputSize) {
      this.inputSize = inputSize;
      return this;
    }

    public Builder optQueryDim(long queryDim) {
      this.queryDim = queryDim;
      return this;
    }

    public AdditiveAttention build() {
      if (inputSize < 1 || queryDim < 1) {
        throw new IllegalArgumentException("AdditiveAttention needs setInputSize");
      }
      return new AdditiveAttention(this);
    }
  }
}
