package dev.newsrec.nn.ip2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import dev.newsrec.nn.plm.PlmBlock;

/**
 * The aggregation of Section 4.3.2. Learned (Eq. 15-16): u = a_u u_t + b_u u_e and
 * v = a_n v_t + b_n v_e with learnable weights (each the sigmoid of a scalar parameter, so they
 * stay positive and start at 1/2), score = u . v. Concatenation (the ablation "w/o Agg"):
 * u = [u_t ; u_e], v = [v_t ; v_e], score = u_t . v_t + u_e . v_e.
 *
 * <p>How this fits the shared pipeline, whose score is dot(news vector, user vector): the news
 * vector is always the raw pair [v_t ; v_e] (the user towers need both parts of every clicked
 * news), so the candidate's weights move to the user side. The learned user vector is
 * [a_n u ; b_n u], and [v_t ; v_e] . [a_n u ; b_n u] = u . (a_n v_t + b_n v_e) = u . v exactly;
 * this works because a_n and b_n do not depend on the news.
 */
public final class Aggregation extends PlmBlock {
  private final boolean learned;
  private final int dim;
  private final Parameter userTitle;
  private final Parameter userEntity;
  private final Parameter newsTitle;
  private final Parameter newsEntity;

  /** aggregation: {@link Ip2Options#LEARNED} or {@link Ip2Options#CONCAT}; dim: one tower's width. */
  public Aggregation(String aggregation, int dim) {
    this.learned = Ip2Options.LEARNED.equals(aggregation);
    this.dim = dim;
    if (learned) {
      userTitle = param("user_title", Parameter.Type.WEIGHT, Initializer.ZEROS, new Shape(1));
      userEntity = param("user_entity", Parameter.Type.WEIGHT, Initializer.ZEROS, new Shape(1));
      newsTitle = param("news_title", Parameter.Type.WEIGHT, Initializer.ZEROS, new Shape(1));
      newsEntity = param("news_entity", Parameter.Type.WEIGHT, Initializer.ZEROS, new Shape(1));
    } else {
      userTitle = userEntity = newsTitle = newsEntity = null;
    }
  }

  public boolean learned() { return learned; }

  /** The vector the shared pipeline dots with news vectors [v_t ; v_e]: [B, 2 x dim]. */
  public NDArray userVector(ParameterStore ps, NDArray ut, NDArray ue, boolean training) {
    if (!learned) return ut.concat(ue, 1);
    NDArray u = user(ps, ut, ue, training);
    return u.mul(weight(ps, newsTitle, u, training)).concat(u.mul(weight(ps, newsEntity, u, training)), 1);
  }

  /** The paper's final user embedding u (Eq. 15); with concatenation [u_t ; u_e]. */
  public NDArray user(ParameterStore ps, NDArray ut, NDArray ue, boolean training) {
    if (!learned) return ut.concat(ue, 1);
    return ut.mul(weight(ps, userTitle, ut, training)).add(ue.mul(weight(ps, userEntity, ut, training)));
  }

  /** The paper's final candidate embedding v (Eq. 16); with concatenation [v_t ; v_e]. */
  public NDArray news(ParameterStore ps, NDArray vt, NDArray ve, boolean training) {
    if (!learned) return vt.concat(ve, 1);
    return vt.mul(weight(ps, newsTitle, vt, training)).add(ve.mul(weight(ps, newsEntity, vt, training)));
  }

  /** sigmoid(p) on like's manager (on the parameter's own manager it would never be freed). */
  private static NDArray weight(ParameterStore ps, Parameter p, NDArray like, boolean training) {
    NDArray w = Activation.sigmoid(ps.getValue(p, like.getDevice(), training));
    w.attach(like.getManager());
    return w;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(userVector(ps, inputs.get(0), inputs.get(1), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), 2L * dim)};
  }
}
