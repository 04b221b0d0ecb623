package dev.newsrec.nn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.newsrec.nn.plm.PlmBlock;

/**
 * A two-tower news recommender: a news encoder and a user encoder (over the history's news
 * vectors or its titles); the click score of a candidate is the dot product of its news vector and
 * the user vector.
 */
public final class NewsRecModel extends PlmBlock {
  private final PlmBlock news;
  private final PlmBlock user;

  public <E extends PlmBlock & NewsEncoder, U extends PlmBlock & UserEncoder> NewsRecModel(E news,
      U user) {
    this.news = child("news", news);
    this.user = child("user", user);
  }

  public NewsEncoder newsEncoder() { return (NewsEncoder) news; }

  public UserEncoder userEncoder() { return (UserEncoder) user; }

  /** User vectors [B,D] for a batch of histories, on the news vectors' manager. */
  public NDArray users(ParameterStore ps, UserBatch batch, boolean training) {
    return userEncoder().encode(ps, batch, training);
  }

  /**
   * User vectors from the vectors of the batch's distinct news alone: history[b][l] is a row of
   * newsVectors [U,D] or -1 for padding (for encoders over news vectors). Returns [B,D].
   */
  public NDArray users(ParameterStore ps, NDArray newsVectors, int[][] history, boolean training) {
    return users(ps, new UserBatch(newsVectors, history, null, null), training);
  }

  /** Rows of table [U,D] at idx (int64, any shape S): [S..., D]; differentiable. */
  public static NDArray gather(NDArray table, NDArray idx) {
    return ai.djl.nn.core.Embedding.embedding(idx, table, ai.djl.ndarray.types.SparseFormat.DENSE)
        .singletonOrThrow();
  }

  /** candidates [B,C,D], users [B,D] -> scores [B,C]. */
  public static NDArray score(NDArray candidates, NDArray users) {
    return candidates.matMul(users.expandDims(-1)).squeeze(-1);
  }

  /** Inputs: [title ids, title mask]; output: news vectors (the user side has its own entry). */
  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(newsEncoder().encode(ps, inputs.get(0), inputs.get(1), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), newsEncoder().dim())};
  }
}
