package dev.newsrec.nn.ip2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.newsrec.nn.plm.AdditiveAttention;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.Dense;
import dev.newsrec.nn.plm.MultiHeadAttention;
import dev.newsrec.nn.plm.Norm;
import dev.newsrec.nn.plm.PlmBlock;
import java.util.List;

/**
 * IP2's title encoder (Section 4.1.1): the PLM's last hidden states (not [CLS]), optionally a
 * multi-head self-attention with a residual LayerNorm (Eq. 1-4), additive attention (Eq. 5-6),
 * then Linear to the news width, dropout and LeakyReLU. With the lower PLM layers frozen, their
 * outputs can be computed once ({@link BertModel#hiddenUpTo}) and the rest run on them
 * ({@link #encodeFromHidden}); both paths give the same vectors.
 */
public final class TitleEncoder extends PlmBlock {
  private static final float LEAKY_SLOPE = 0.01f;
  private final BertModel plm;
  private final MultiHeadAttention selfAttention;
  private final Norm norm;
  private final AdditiveAttention pooling;
  private final Dense projection;
  private final float dropout;
  private final int dim;

  public TitleEncoder(BertModel plm, Ip2Options o) {
    int hidden = plm.config().hiddenSize();
    this.plm = child("plm", plm);
    if (o.titleSelfAttention()) {
      selfAttention = child("self_attention", MultiHeadAttention.builder().setHiddenSize(hidden)
          .setHeads(o.titleHeads()).build());
      norm = child("self_attention_norm", Norm.builder().setSize(hidden).build());
    } else {
      selfAttention = null;
      norm = null;
    }
    pooling = child("pooling", AdditiveAttention.builder().setInputSize(hidden).optQueryDim(o.queryDim()).build());
    projection = child("projection", Dense.builder().setInputSize(hidden).setOutputSize(o.newsDim()).build());
    dropout = o.titleDropout().floatValue();
    dim = o.newsDim();
  }

  public BertModel plm() { return plm; }

  /** The blocks on top of the PLM (what a fresh model initialises). */
  List<PlmBlock> head() {
    return selfAttention == null ? List.of(pooling, projection)
        : List.of(selfAttention, norm, pooling, projection);
  }

  public int dim() { return dim; }

  /** ids, mask [N,T]; title vectors [N, news_dim] on ids' manager. */
  public NDArray encode(ParameterStore ps, NDArray ids, NDArray mask, boolean training) {
    return scoped(training, () -> top(ps, plm.encode(ps, ids, mask, null, null, training), mask, training),
        ids, mask);
  }

  /** Runs layers {@code from}.. on hidden states from {@link BertModel#hiddenUpTo}, then the head. */
  public NDArray encodeFromHidden(ParameterStore ps, NDArray hidden, NDArray mask, int from, boolean training) {
    return scoped(training, () -> top(ps, plm.hiddenFrom(ps, hidden, mask, from, training), mask, training),
        hidden, mask);
  }

  private NDArray top(ParameterStore ps, NDArray tokens, NDArray mask, boolean training) {
    NDArray h = tokens;
    if (selfAttention != null) {
      // Residual + LayerNorm keeps the PLM's token semantics next to the token relations (Eq. 4).
      h = norm.apply(ps, h.add(selfAttention.attend(ps, h, h, paddingMask(mask), training)), training);
    }
    NDArray title = projection.apply(ps, pooling.pool(ps, h, mask, training), training);
    return Activation.leakyRelu(dropout(title, dropout, training), LEAKY_SLOPE);
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
