package dev.newsrec.nn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/** Title token ids to news vectors: the news side of NRMS, PLM-NR and the papers' models. */
public interface NewsEncoder {
  /** ids and mask [N,T] (int64); returns news vectors [N,D] on ids' manager. */
  NDArray encode(ParameterStore ps, NDArray ids, NDArray mask, boolean training);

  /**
   * Vectors [N,D] of the given corpus news, on m. By default the title alone (NRMS, PLM-NR);
   * encoders of more than the title (IP2's entities) override this.
   */
  default NDArray encode(ParameterStore ps, NDManager m, NewsInputs inputs, int[] news, boolean training) {
    NewsTokens.Padded p = inputs.titles().pad(news);
    return encode(ps, m.create(p.ids(), new Shape(p.rows(), p.length())),
        m.create(p.mask(), new Shape(p.rows(), p.length())), training);
  }

  /** D, the size of a news vector. */
  int dim();
}
