package dev.newsrec.nn.rec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.model.NewsTokens;

/** How a training step gets the vectors of the batch's distinct news. */
@FunctionalInterface
public interface NewsVectors {
  /** Vectors [N,D] of the given corpus news, on m. */
  NDArray encode(ParameterStore ps, NDManager m, int[] news, boolean training);

  /** The model's news encoder over the news' padded titles. */
  static NewsVectors titles(NewsRecModel model, NewsTokens tokens) {
    return (ps, m, news, training) -> {
      NewsTokens.Padded p = tokens.pad(news);
      NDArray ids = m.create(p.ids(), new Shape(p.rows(), p.length()));
      NDArray mask = m.create(p.mask(), new Shape(p.rows(), p.length()));
      return model.newsEncoder().encode(ps, ids, mask, training);
    };
  }
}
