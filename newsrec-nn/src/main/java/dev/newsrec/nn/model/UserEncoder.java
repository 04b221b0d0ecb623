package dev.newsrec.nn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/**
 * The user side of a two-tower model: a batch of histories in, one user vector per history out.
 * Encoders over the history's news vectors (NRMS, PLM-NR, IP2's dual tower) read
 * {@link UserBatch#historyVectors()}; encoders over a token document built from the history's
 * titles (PUNR) read {@link UserBatch#historyNews()} and the corpus's {@link NewsInputs}.
 */
public interface UserEncoder {
  /** D, the size of a user vector (equal to the news vectors' for dot-product scoring). */
  int dim();

  /** User vectors [B,D] on the manager of the batch's news vectors. */
  NDArray encode(ParameterStore ps, UserBatch batch, boolean training);

  /**
   * Whether this encoder reads the history's news vectors. Encoders over a token document (PUNR)
   * say false: the pipeline then encodes only the candidates as news, not the history's titles.
   */
  default boolean readsNewsVectors() {
    return true;
  }
}
