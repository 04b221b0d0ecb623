package dev.newsrec.nn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.newsrec.nn.plm.AdditiveAttention;
import dev.newsrec.nn.plm.MultiHeadAttention;
import dev.newsrec.nn.plm.PlmBlock;

/**
 * NRMS's user encoder (also PLM-NR's): multi-head self-attention over the clicked news vectors,
 * dropout, additive attention to one user vector.
 */
public final class UserEncoder extends PlmBlock {
  private final MultiHeadAttention selfAttention;
  private final AdditiveAttention pooling;
  private final int dim;
  private final float dropout;

  public UserEncoder(int dim, int heads, int queryDim, float dropout) {
    this.dim = dim;
    this.dropout = dropout;
    // As in NRMS: heads concatenated without an output projection.
    this.selfAttention = child("self_attention", MultiHeadAttention.builder().setHiddenSize(dim)
        .setHeads(heads).optOutputProjection(false).optDropout(0f).build());
    this.pooling = child("pooling", AdditiveAttention.builder().setInputSize(dim)
        .optQueryDim(queryDim).build());
  }

  /** history [B,L,D] news vectors, mask [B,L] (1 = clicked news, 0 = padding); returns [B,D]. */
  public NDArray encode(ParameterStore ps, NDArray history, NDArray mask, boolean training) {
    return scoped(() -> {
      NDArray h = selfAttention.attend(ps, history, history, paddingMask(mask), training);
      h = dropout(h, dropout, training);
      return pooling.pool(ps, h, mask, training);
    }, history, mask);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(encode(ps, inputs.get(0), inputs.get(1), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), dim)};
  }
}
