package dev.newsrec.nn.nrms;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.newsrec.nn.model.NewsEncoder;
import dev.newsrec.nn.model.SelfAttentiveEncoder;
import dev.newsrec.nn.plm.PlmBlock;

/**
 * NRMS's news encoder: word embeddings (learned from scratch, or copied from a PLM's embedding
 * table), dropout, then the {@link SelfAttentiveEncoder} over the title's words.
 */
public final class NrmsNewsEncoder extends PlmBlock implements NewsEncoder {
  private final Parameter words;
  private final SelfAttentiveEncoder words2news;
  private final float dropout;

  /**
   * @param vocab vocabulary size (the tokenizer's)
   * @param wordDim word vector size (NRMS: 300, GloVe)
   * @param heads self-attention heads (NRMS: 16)
   * @param headDim size of each head (NRMS: 16); news vectors have heads x headDim
   * @param queryDim additive attention query size (NRMS: 200)
   * @param dropout dropout on word vectors and attention output (NRMS: 0.2)
   */
  public NrmsNewsEncoder(int vocab, int wordDim, int heads, int headDim, int queryDim, float dropout) {
    this.dropout = dropout;
    // Wider than BERT's 0.02: with tiny word vectors every score starts at 0 and learning stalls.
    this.words = param("word_embeddings.weight", Parameter.Type.WEIGHT,
        new ai.djl.training.initializer.NormalInitializer(0.1f), new Shape(vocab, wordDim));
    this.words2news = child("encoder", new SelfAttentiveEncoder(wordDim, heads, headDim, queryDim,
        dropout));
  }

  /** The word table, e.g. to copy a PLM's embeddings into after initialisation. */
  public Parameter wordEmbedding() { return words; }

  @Override public int dim() { return words2news.dim(); }

  @Override
  public NDArray encode(ParameterStore ps, NDArray ids, NDArray mask, boolean training) {
    return scoped(() -> {
      NDArray table = ps.getValue(words, ids.getDevice(), training);
      NDArray idx = ids.getDataType() == DataType.INT64 ? ids : ids.toType(DataType.INT64, false);
      NDArray x = Embedding.embedding(idx, table, SparseFormat.DENSE).singletonOrThrow();
      return words2news.encode(ps, dropout(x, dropout, training), mask, training);
    }, ids, mask);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(encode(ps, inputs.get(0), inputs.get(1), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), dim())};
  }
}
