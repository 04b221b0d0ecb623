package dev.newsrec.nn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * Histories of a batch of users, as every user encoder may want them.
 *
 * @param newsVectors [U,D] vectors of the batch's distinct news
 * @param rows rows[b][l]: the row of newsVectors of user b's l-th click (oldest first), -1 = padding
 * @param news news[r]: the corpus index of row r (for encoders that read the titles themselves)
 * @param inputs the corpus's news inputs (titles, categories, entities)
 */
public record UserBatch(NDArray newsVectors, int[][] rows, int[] news, NewsInputs inputs) {
  public int size() { return rows.length; }

  /** Corpus indices of each user's clicks, oldest first, without padding. */
  public int[][] historyNews() {
    int[][] out = new int[rows.length][];
    for (int b = 0; b < rows.length; b++) {
      out[b] = java.util.Arrays.stream(rows[b]).filter(r -> r >= 0).map(r -> news[r]).toArray();
    }
    return out;
  }

  /**
   * [history vectors [B,L,D] (zeros at padding), mask [B,L] (1 = click, 0 = padding)]; the
   * gather is differentiable, so gradients reach the news encoder.
   */
  public NDList historyVectors() {
    long u = newsVectors.getShape().get(0);
    long d = newsVectors.getShape().get(1);
    int b = rows.length;
    int l = rows[0].length;
    long[] idx = new long[b * l];
    float[] mask = new float[b * l];
    for (int r = 0; r < b; r++) {
      for (int c = 0; c < l; c++) {
        int p = rows[r][c];
        idx[r * l + c] = p < 0 ? u : p;
        mask[r * l + c] = p < 0 ? 0f : 1f;
      }
    }
    // On the vectors' own manager, which outlives backward: on CPU an array made from Java data
    // shares its (direct) buffer with the tensor, and the gather's backward still reads the
    // indices; a closed array's buffer can be freed by the garbage collector.
    var m = newsVectors.getManager();
    NDArray indices = m.create(idx, new Shape(b, l));
    NDArray items = m.create(mask, new Shape(b, l));
    // Row u is an all-zero vector standing for padding.
    NDArray table = newsVectors.concat(m.zeros(new Shape(1, d), newsVectors.getDataType()), 0);
    return new NDList(NewsRecModel.gather(table, indices), items);
  }
}
