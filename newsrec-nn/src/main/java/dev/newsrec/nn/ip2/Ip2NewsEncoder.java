package dev.newsrec.nn.ip2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.newsrec.nn.model.NewsEncoder;
import dev.newsrec.nn.model.NewsInputs;
import dev.newsrec.nn.model.NewsTokens;
import dev.newsrec.nn.plm.PlmBlock;

/**
 * IP2's news encoder: the two-element tuple (title vector, signature entity) of Section 4.1,
 * returned as one news vector [v_t ; v_e] of 2 x news_dim. The user encoder splits the history's
 * vectors back into its two towers; the candidate's aggregation (Eq. 16) is folded into the user
 * vector (see {@link Aggregation}), so dot(news vector, user vector) is the paper's score.
 */
public final class Ip2NewsEncoder extends PlmBlock implements NewsEncoder {
  private final TitleEncoder title;
  private final SignatureEntityEncoder entity;

  public Ip2NewsEncoder(TitleEncoder title, SignatureEntityEncoder entity) {
    this.title = child("title", title);
    this.entity = child("entity", entity);
  }

  public TitleEncoder title() { return title; }

  public SignatureEntityEncoder entity() { return entity; }

  @Override public int dim() { return 2 * title.dim(); }

  /** A title alone (no entities, no categories known): its signature is the handle's. */
  @Override
  public NDArray encode(ParameterStore ps, NDArray ids, NDArray mask, boolean training) {
    NDArray t = title.encode(ps, ids, mask, training);
    NDArray e = entity.handleOnly(ps, ids.getManager(), (int) ids.getShape().get(0), training);
    return t.concat(e, 1);
  }

  @Override
  public NDArray encode(ParameterStore ps, NDManager m, NewsInputs inputs, int[] news, boolean training) {
    return titles(ps, m, inputs, news, training).concat(entity.encode(ps, m, inputs, news, training), 1);
  }

  /** Title vectors [N, news_dim] of the given corpus news, on m. */
  public NDArray titles(ParameterStore ps, NDManager m, NewsInputs inputs, int[] news, boolean training) {
    NewsTokens.Padded p = inputs.titles().pad(news);
    return title.encode(ps, m.create(p.ids(), new Shape(p.rows(), p.length())),
        m.create(p.mask(), new Shape(p.rows(), p.length())), training);
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
