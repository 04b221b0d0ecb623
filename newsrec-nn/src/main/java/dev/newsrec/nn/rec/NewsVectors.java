package dev.newsrec.nn.rec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.model.NewsInputs;

/** How a training step gets the vectors of the batch's distinct news. */
@FunctionalInterface
public interface NewsVectors {
  /** Vectors [N,D] of the given corpus news, on m. */
  NDArray encode(ParameterStore ps, NDManager m, int[] news, boolean training);

  /** The model's whole news encoder over the news' inputs. */
  static NewsVectors encoder(NewsRecModel model, NewsInputs inputs) {
    return (ps, m, news, training) -> model.newsEncoder().encode(ps, m, inputs, news, training);
  }
}
