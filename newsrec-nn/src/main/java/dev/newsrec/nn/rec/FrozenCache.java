package dev.newsrec.nn.rec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.newsrec.nn.model.NewsTokens;
import dev.newsrec.nn.model.PlmNewsEncoder;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Outputs of the frozen lower part of a PLM (embeddings + first k layers) for every title,
 * computed once in evaluation mode. Training then runs only the trainable top layers per step:
 * on CPU this is what makes PLM-NR fit in minutes. Cost: the frozen part sees no dropout.
 */
public final class FrozenCache {
  private final float[][] hidden;
  private final int[] lengths;
  private final int dim;
  private final int layers;

  private FrozenCache(float[][] hidden, int[] lengths, int dim, int layers) {
    this.hidden = hidden;
    this.lengths = lengths;
    this.dim = dim;
    this.layers = layers;
  }

  public int layers() { return layers; }

  public static FrozenCache build(PlmNewsEncoder encoder, NewsTokens tokens, int layers,
      NDManager parent, int batch, java.util.function.Consumer<String> log) {
    int n = tokens.size();
    int dim = encoder.dim();
    float[][] hidden = new float[n][];
    int[] lengths = new int[n];
    // Sorted by length, so each batch pads little.
    int[] order = IntStream.range(0, n).boxed()
        .sorted(Comparator.comparingInt(i -> tokens.ids(i).length)).mapToInt(Integer::intValue).toArray();
    long t0 = System.nanoTime();
    long last = t0;
    for (int from = 0; from < n; from += batch) {
      int[] rows = Arrays.copyOfRange(order, from, Math.min(n, from + batch));
      NewsTokens.Padded p = tokens.pad(rows);
      try (NDManager m = parent.newSubManager()) {
        NDArray ids = m.create(p.ids(), new Shape(p.rows(), p.length()));
        NDArray mask = m.create(p.mask(), new Shape(p.rows(), p.length()));
        NDArray h = encoder.frozenHidden(new ParameterStore(m, false), ids, mask, layers, false);
        float[] flat = h.toFloatArray();
        for (int r = 0; r < rows.length; r++) {
          int len = tokens.ids(rows[r]).length;
          lengths[rows[r]] = len;
          hidden[rows[r]] = Arrays.copyOfRange(flat, r * p.length() * dim, (r * p.length() + len) * dim);
        }
      }
      long now = System.nanoTime();
      if (now - last > 5e9) {
        log.accept(String.format("caching frozen PLM outputs: %d/%d titles", from + rows.length, n));
        last = now;
      }
    }
    log.accept(String.format("cached frozen PLM outputs (embeddings + %d layers) of %d titles in %.1f s",
        layers, n, (System.nanoTime() - t0) / 1e9));
    return new FrozenCache(hidden, lengths, dim, layers);
  }

  /** [hidden [N,T,H], mask [N,T]] of the given news, padded to the longest, on m. */
  public NDList get(NDManager m, int[] news) {
    int longest = 1;
    for (int x : news) longest = Math.max(longest, lengths[x]);
    float[] flat = new float[news.length * longest * dim];
    long[] mask = new long[news.length * longest];
    for (int r = 0; r < news.length; r++) {
      System.arraycopy(hidden[news[r]], 0, flat, r * longest * dim, lengths[news[r]] * dim);
      Arrays.fill(mask, r * longest, r * longest + lengths[news[r]], 1L);
    }
    return new NDList(m.create(flat, new Shape(news.length, longest, dim)),
        m.create(mask, new Shape(news.length, longest)));
  }
}
