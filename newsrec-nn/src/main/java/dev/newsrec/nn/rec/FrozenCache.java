package dev.newsrec.nn.rec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.newsrec.nn.model.LengthSortedBatches;
import dev.newsrec.nn.model.NewsTokens;
import dev.newsrec.nn.plm.BertModel;
import java.util.Arrays;
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

  public static FrozenCache build(BertModel plm, NewsTokens tokens, int layers,
      NDManager parent, int batch, java.util.function.Consumer<String> log) {
    int n = tokens.size();
    int dim = plm.config().hiddenSize();
    int[] lengths = new int[n];
    for (int i = 0; i < n; i++) lengths[i] = tokens.ids(i).length;
    long t0 = System.nanoTime();
    long[] last = {t0};
    // Every title once, in batches sorted by length, so each batch pads little.
    float[][] hidden = LengthSortedBatches.encode(tokens, IntStream.range(0, n).toArray(), batch,
        parent, (m, rows) -> {
          NewsTokens.Padded p = tokens.pad(rows);
          NDArray ids = m.create(p.ids(), new Shape(p.rows(), p.length()));
          NDArray mask = m.create(p.mask(), new Shape(p.rows(), p.length()));
          NDArray h = plm.hiddenUpTo(new ParameterStore(m, false), ids, mask, layers, false);
          float[] flat = h.toFloatArray();
          float[][] out = new float[rows.length][];
          for (int r = 0; r < rows.length; r++) {
            int len = lengths[rows[r]];
            out[r] = Arrays.copyOfRange(flat, r * p.length() * dim, (r * p.length() + len) * dim);
          }
          return out;
        }, (done, total) -> {
          long now = System.nanoTime();
          if (now - last[0] > 5e9) {
            log.accept(String.format("caching frozen PLM outputs: %d/%d titles", done, total));
            last[0] = now;
          }
        });
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
