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
 * NRMS's encoder, used twice: multi-head self-attention over a sequence (words of a title, or
 * clicked news of a user: then it is the {@link UserEncoder} of NRMS and PLM-NR), dropout,
 * additive attention to one vector. As in NRMS, the heads are
 * concatenated without an output projection.
 */
public final class SelfAttentiveEncoder extends PlmBlock implements UserEncoder {
  private final MultiHeadAttention selfAttention;
  private final AdditiveAttention pooling;
  private final int dim;
  private final int heads;
  private final float dropout;

  /**
   * @param inputDim size of the sequence's vectors
   * @param heads attention heads; the output has heads x headDim
   * @param queryDim additive attention query size (NRMS: 200)
   * @param dropout after the self-attention (NRMS: 0.2)
   */
  public SelfAttentiveEncoder(int inputDim, int heads, int headDim, int queryDim, float dropout) {
    this.dim = heads * headDim;
    this.heads = heads;
    this.dropout = dropout;
    this.selfAttention = child("self_attention", MultiHeadAttention.builder().setHiddenSize(dim)
        .optInputSize(inputDim).setHeads(heads).optOutputProjection(false).optDropout(0f).build());
    this.pooling = child("pooling", AdditiveAttention.builder().setInputSize(dim)
        .optQueryDim(queryDim).build());
  }

  @Override
  public int dim() { return dim; }

  /** Heads of the self-attention (the serving layer's plain-Java forward pass splits by them). */
  public int heads() { return heads; }

  /** As NRMS's user encoder: over the history's news vectors. */
  @Override
  public NDArray encode(ParameterStore ps, UserBatch batch, boolean training) {
    NDList h = batch.historyVectors();
    return encode(ps, h.get(0), h.get(1), training);
  }

  /** x [B,L,inputDim], mask [B,L] (1 = item, 0 = padding); returns [B, heads x headDim]. */
  public NDArray encode(ParameterStore ps, NDArray x, NDArray mask, boolean training) {
    return scoped(() -> {
      NDArray h = selfAttention.attend(ps, x, x, paddingMask(mask), training);
      return pooling.pool(ps, dropout(h, dropout, training), mask, training);
    }, x, mask);
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
