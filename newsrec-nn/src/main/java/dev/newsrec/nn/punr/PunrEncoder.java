package dev.newsrec.nn.punr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.newsrec.nn.model.NewsEncoder;
import dev.newsrec.nn.plm.AdditiveAttention;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.PlmBlock;

/**
 * PUNR's encoder: a BERT with the behaviour-segment table, read out by a pooling (the [CLS]
 * output, the average of the last hidden states, or additive attention). As a news encoder it
 * reads a candidate title with segment 0 everywhere; {@link PunrUserEncoder} runs it over user
 * documents.
 */
public final class PunrEncoder extends PlmBlock implements NewsEncoder {
  /** How a vector is read from the last hidden states. */
  public enum Pooling {
    CLS,
    AVERAGE,
    ATTENTION;

    static Pooling of(String option) {
      return valueOf(option.toUpperCase(java.util.Locale.ROOT));
    }
  }

  private final BertModel plm;
  private final Pooling pooling;
  private final AdditiveAttention attention;

  public PunrEncoder(BertModel plm, Pooling pooling, int queryDim) {
    if (plm.embeddings().segmentRows() == 0) {
      throw new IllegalArgumentException("PUNR's BERT needs a segment table");
    }
    this.plm = child("plm", plm);
    this.pooling = pooling;
    this.attention = pooling == Pooling.ATTENTION
        ? child("pooling", AdditiveAttention.builder().setInputSize(plm.config().hiddenSize())
            .optQueryDim(queryDim).build())
        : null;
  }

  public BertModel plm() { return plm; }

  public Pooling pooling() { return pooling; }

  /** The additive attention pooling, or null for cls and average. */
  public AdditiveAttention attention() { return attention; }

  @Override
  public int dim() { return plm.config().hiddenSize(); }

  /** Candidate titles [N,T]: segment 0 everywhere (as the paper fine-tunes). */
  @Override
  public NDArray encode(ParameterStore ps, NDArray ids, NDArray mask, boolean training) {
    return scoped(training, () -> encode(ps, ids, mask, ids.zerosLike(), training), ids, mask);
  }

  /** ids, mask, segments [N,T]; returns the pooled vectors [N,H] on ids' manager. */
  public NDArray encode(ParameterStore ps, NDArray ids, NDArray mask, NDArray segments,
      boolean training) {
    return scoped(training, () -> pool(ps, plm.encode(ps, ids, mask, null, segments, training), mask,
        training), ids, mask, segments);
  }

  /** hidden [N,T,H], mask [N,T] -> [N,H] as the pooling option says. */
  public NDArray pool(ParameterStore ps, NDArray hidden, NDArray mask, boolean training) {
    return scoped(() -> switch (pooling) {
      case CLS -> hidden.get(new NDIndex(":, 0, :"));
      case AVERAGE -> {
        NDArray m = mask.toType(DataType.FLOAT32, false).expandDims(-1);
        yield hidden.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}));
      }
      case ATTENTION -> attention.pool(ps, hidden, mask, training);
    }, hidden, mask);
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
