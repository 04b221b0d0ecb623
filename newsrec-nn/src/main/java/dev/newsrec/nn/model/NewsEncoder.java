package dev.newsrec.nn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/** Title token ids to news vectors: the news side of NRMS, PLM-NR and the papers' models. */
public interface NewsEncoder {
  /** ids and mask [N,T] (int64); returns news vectors [N,D] on ids' manager. */
  NDArray encode(ParameterStore ps, NDArray ids, NDArray mask, boolean training);

  /** D, the size of a news vector. */
  int dim();
}
