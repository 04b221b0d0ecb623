package dev.newsrec.nn.model;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Encodes distinct news in batches of titles sorted by length, so each batch pads little: each
 * news once, shortest title first (ties by corpus index), at most {@code batch} news per batch,
 * each batch on its own sub-manager. The one routine behind the scorers' news vectors ({@code
 * infer.Scorer}) and the cache of a PLM's frozen layers ({@code rec.FrozenCache}).
 */
public final class LengthSortedBatches {
  private LengthSortedBatches() {}

  /** One batch: the output of each of {@code rows} (corpus indices, in batch order), made on m. */
  @FunctionalInterface
  public interface Batch {
    float[][] encode(NDManager m, int[] rows);
  }

  /** Called after each batch with the number of distinct news encoded so far and their total. */
  @FunctionalInterface
  public interface Progress {
    void encoded(int done, int total);
  }

  /** The distinct news of {@code news} in encoding order: by title length, then corpus index. */
  public static int[] order(NewsTokens titles, int[] news) {
    return IntStream.of(news).distinct().boxed()
        .sorted(Comparator.comparingInt((Integer n) -> titles.ids(n).length).thenComparingInt(n -> n))
        .mapToInt(Integer::intValue).toArray();
  }

  /** {@link #encode(NewsTokens, int[], int, NDManager, Batch, Progress)} without progress. */
  public static float[][] encode(NewsTokens titles, int[] news, int batch, NDManager parent,
      Batch body) {
    return encode(titles, news, batch, parent, body, (done, total) -> { });
  }

  /**
   * The outputs of {@code news}, one per entry and in its order (a news given twice gets the same
   * array), computed by {@code body} over the distinct news in {@link #order} in batches of at most
   * {@code batch}.
   */
  public static float[][] encode(NewsTokens titles, int[] news, int batch, NDManager parent,
      Batch body, Progress progress) {
    int[] order = order(titles, news);
    Map<Integer, float[]> out = new HashMap<>(order.length * 2);
    for (int from = 0; from < order.length; from += batch) {
      int[] rows = Arrays.copyOfRange(order, from, Math.min(order.length, from + batch));
      float[][] encoded;
      try (NDManager m = parent.newSubManager()) {
        encoded = body.encode(m, rows);
      }
      for (int r = 0; r < rows.length; r++) out.put(rows[r], encoded[r]);
      progress.encoded(from + rows.length, order.length);
    }
    float[][] result = new float[news.length][];
    for (int i = 0; i < news.length; i++) result[i] = out.get(news[i]);
    return result;
  }

  /**
   * News vectors [D] of {@code news} (in its order) from the model's news encoder in evaluation
   * mode (no gradients, no dropout).
   */
  public static float[][] vectors(NewsEncoder encoder, NewsInputs inputs, int[] news, int batch,
      NDManager parent) {
    int dim = encoder.dim();
    return encode(inputs.titles(), news, batch, parent, (m, rows) -> {
      float[] flat = encoder.encode(new ParameterStore(m, false), m, inputs, rows, false)
          .toFloatArray();
      float[][] v = new float[rows.length][];
      for (int r = 0; r < rows.length; r++) v[r] = Arrays.copyOfRange(flat, r * dim, (r + 1) * dim);
      return v;
    });
  }
}
