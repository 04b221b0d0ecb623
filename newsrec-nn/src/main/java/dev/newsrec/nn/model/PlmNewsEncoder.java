package dev.newsrec.nn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.newsrec.nn.plm.AdditiveAttention;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.PlmBlock;
import java.util.List;

/**
 * PLM-NR's news encoder: a BERT over the title, then additive attention over its token vectors.
 * With the lower layers frozen their outputs can be computed once ({@link BertModel#hiddenUpTo}) and the
 * trainable top run on them ({@link #encodeFromHidden}); both paths give the same vectors.
 */
public final class PlmNewsEncoder extends PlmBlock implements NewsEncoder {
  private final BertModel plm;
  private final AdditiveAttention pooling;

  public PlmNewsEncoder(BertModel plm, int queryDim) {
    this.plm = child("plm", plm);
    this.pooling = child("pooling", AdditiveAttention.builder()
        .setInputSize(plm.config().hiddenSize()).optQueryDim(queryDim).build());
  }

  public BertModel plm() { return plm; }

  public AdditiveAttention pooling() { return pooling; }

  @Override public int dim() { return plm.config().hiddenSize(); }

  @Override
  public NDArray encode(ParameterStore ps, NDArray ids, NDArray mask, boolean training) {
    return scoped(() -> pooling.pool(ps, plm.encode(ps, ids, mask, null, null, training), mask,
        training), ids, mask);
  }

  /** Runs layers {@code from}.. on hidden states from {@link BertModel#hiddenUpTo}, then pools. */
  public NDArray encodeFromHidden(ParameterStore ps, NDArray hidden, NDArray mask, int from,
      boolean training) {
    return scoped(() -> pooling.pool(ps, plm.hiddenFrom(ps, hidden, mask, from, training), mask,
        training), hidden, mask);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(encode(ps, inputs.get(0), inputs.get(1), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), dim())};
  }
}
