package dev.newsrec.nn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.newsrec.nn.plm.PlmBlock;

/**
 * A two-tower news recommender: a news encoder and a user encoder over clicked news vectors;
 * the click score of a candidate is the dot product of its news vector and the user vector.
 */
public final class NewsRecModel extends PlmBlock {
  private final PlmBlock news;
  private final SelfAttentiveEncoder user;

  public <E extends PlmBlock & NewsEncoder> NewsRecModel(E news, SelfAttentiveEncoder user) {
    this.news = child("news", news);
    this.user = child("user", user);
  }

  public NewsEncoder newsEncoder() { return (NewsEncoder) news; }

  public SelfAttentiveEncoder userEncoder() { return user; }

  /**
   * User vectors from the vectors of the batch's distinct news: history[b][l] is a row of
   * newsVectors [U,D] or -1 for padding. Returns [B,D] on newsVectors' manager.
   */
  public NDArray users(ParameterStore ps, NDArray newsVectors, int[][] history, boolean training) {
    long u = newsVectors.getShape().get(0);
    long d = newsVectors.getShape().get(1);
    int b = history.length;
    int l = history[0].length;
    long[] idx = new long[b * l];
    float[] mask = new float[b * l];
    for (int r = 0; r < b; r++) {
      for (int c = 0; c < l; c++) {
        int p = history[r][c];
        idx[r * l + c] = p < 0 ? u : p;
        mask[r * l + c] = p < 0 ? 0f : 1f;
      }
    }
    // On the caller's manager, not in the scope below: on CPU an array made from Java data shares
    // its (direct) buffer with the tensor, and the gather's backward still reads the indices after
    // the scope has closed; a closed array's buffer can be freed by the garbage collector.
    var outer = newsVectors.getManager();
    NDArray indices = outer.create(idx, new Shape(b, l));
    NDArray items = outer.create(mask, new Shape(b, l));
    return scoped(() -> {
      var m = newsVectors.getManager();
      // Row u is an all-zero vector standing for padding.
      NDArray table = newsVectors.concat(m.zeros(new Shape(1, d), newsVectors.getDataType()), 0);
      NDArray hist = gather(table, indices);
      return user.encode(ps, hist, items, training);
    }, newsVectors);
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
