package dev.newsrec.nn.punr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.newsrec.core.sample.HistoryPolicy;
import dev.newsrec.nn.model.UserBatch;
import dev.newsrec.nn.model.UserEncoder;
import dev.newsrec.nn.plm.PlmBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * PUNR's user encoder: the history's titles as one user document ({@link UserDocuments}) through
 * a {@link PunrEncoder}. Siamese (the paper): the news side's encoder itself, held here but not
 * registered as a child, so each parameter appears once in the model (the optimiser updates it
 * once, with the gradients of both sides summed). Separate: an encoder of its own, child
 * {@code encoder}.
 */
public final class PunrUserEncoder extends PlmBlock implements UserEncoder {
  private final PunrEncoder encoder;
  private final boolean shared;
  private final int cls;
  private final int sep;
  private final int pad;
  private final int maxBehaviours;
  private final HistoryPolicy policy;
  private final int titleTokens;
  private final int docTokens;

  /**
   * @param encoder the news side's encoder (shared) or a separate one
   * @param shared whether encoder is the news side's (then not registered here)
   */
  public PunrUserEncoder(PunrEncoder encoder, boolean shared, int clsId, int sepId, int padId,
      int maxBehaviours, HistoryPolicy policy, int titleTokens, int docTokens) {
    this.encoder = shared ? encoder : child("encoder", encoder);
    this.shared = shared;
    this.cls = clsId;
    this.sep = sepId;
    this.pad = padId;
    this.maxBehaviours = maxBehaviours;
    this.policy = policy;
    this.titleTokens = titleTokens;
    this.docTokens = docTokens;
    if (docTokens > encoder.plm().config().maxPositionEmbeddings()) {
      throw new dev.newsrec.core.UserException("doc_tokens " + docTokens + " exceeds the PLM's "
          + encoder.plm().config().maxPositionEmbeddings() + " positions");
    }
  }

  public PunrEncoder encoder() { return encoder; }

  public boolean shared() { return shared; }

  /** The document builder over a corpus's titles, with this encoder's limits. */
  public UserDocuments documents(dev.newsrec.nn.model.NewsTokens titles) {
    return new UserDocuments(titles, cls, sep, pad, maxBehaviours, policy, titleTokens, docTokens);
  }

  @Override
  public int dim() { return encoder.dim(); }

  @Override
  public boolean readsNewsVectors() { return false; }

  @Override
  public NDArray encode(ParameterStore ps, UserBatch batch, boolean training) {
    UserDocuments docs = documents(batch.inputs().titles());
    List<int[]> ids = new ArrayList<>();
    List<int[]> segments = new ArrayList<>();
    for (int[] h : batch.historyNews()) {
      UserDocuments.Document d = docs.build(h);
      ids.add(d.ids());
      segments.add(d.segments());
    }
    // On the batch's manager, which outlives backward: the embedding backward reads the ids.
    NDManager m = batch.newsVectors().getManager();
    UserDocuments.Padded p = docs.pad(ids, segments);
    Shape shape = new Shape(p.rows(), p.length());
    return encoder.encode(ps, m.create(p.ids(), shape), m.create(p.mask(), shape),
        m.create(p.segments(), shape), training);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(encoder.encode(ps, inputs.get(0), inputs.get(1), inputs.get(2), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), dim())};
  }
}
