package dev.newsrec.nn.plm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * BERT input embeddings: LayerNorm(word + position + token type [+ segment]) then dropout.
 *
 * <p>The optional segment table (PUNR's behaviour-index embedding, e.g. 50 rows) is named
 * {@code segment_embeddings.weight}. In {@link SegmentMode#ADDED} it is added on top of the token
 * type term and starts at zero; in {@link SegmentMode#REPLACES_TOKEN_TYPE} it takes the token-type
 * term's place whenever segment ids are given and starts as copies of token-type row 0. Either way
 * the pretrained model's output is unchanged until the table is trained; call
 * {@link #resetSegmentTable()} after loading pretrained weights.
 */
public final class BertEmbeddings extends PlmBlock {
  /** How the segment table combines with the token-type table. */
  public enum SegmentMode {
    ADDED,
    REPLACES_TOKEN_TYPE
  }

  private final BertConfig config;
  private final Parameter word;
  private final Parameter position;
  private final Parameter tokenType;
  private final Parameter segment;
  private final SegmentMode segmentMode;
  private final Norm norm;

  private BertEmbeddings(Builder b) {
    config = b.config;
    long h = config.hiddenSize();
    word = param("word_embeddings.weight", Parameter.Type.WEIGHT, BERT_INIT,
        new Shape(config.vocabSize(), h));
    position = param("position_embeddings.weight", Parameter.Type.WEIGHT, BERT_INIT,
        new Shape(config.maxPositionEmbeddings(), h));
    tokenType = param("token_type_embeddings.weight", Parameter.Type.WEIGHT, BERT_INIT,
        new Shape(config.typeVocabSize(), h));
    segmentMode = b.segmentMode;
    segment = b.segmentRows > 0
        ? param("segment_embeddings.weight", Parameter.Type.WEIGHT, Initializer.ZEROS,
            new Shape(b.segmentRows, h))
        : null;
    norm = child("LayerNorm",
        Norm.builder().setSize(h).optEps(config.layerNormEps()).build());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Unit-test size ({@link BertConfig#tiny()}), not initialised. */
  public static BertEmbeddings tiny() {
    return builder().setConfig(BertConfig.tiny()).build();
  }

  /** The word embedding matrix [vocab, hidden], shared with the MLM head's decoder. */
  public Parameter wordEmbedding() {
    return word;
  }

  /** Rows of the segment table, 0 when there is none. */
  public long segmentRows() {
    return segment == null ? 0 : segment.getShape().get(0);
  }

  /** Sets the segment table to its neutral start (zeros, or token-type row 0 when replacing). */
  public void resetSegmentTable() {
    if (segment == null) {
      return;
    }
    NDArray table = segment.getArray();
    if (segmentMode == SegmentMode.ADDED) {
      assign(table, new float[Math.toIntExact(table.size())]);
    } else {
      int h = config.hiddenSize();
      float[] types = tokenType.getArray().toFloatArray();
      float[] all = new float[Math.toIntExact(table.size())];
      for (int r = 0; r < all.length / h; r++) {
        System.arraycopy(types, 0, all, r * h, h);
      }
      assign(table, all);
    }
  }

  /**
   * ids [B,T]; tokenTypes and segments [B,T] or null (all zero). Returns [B,T,H] on ids' manager.
   */
  public NDArray embed(ParameterStore ps, NDArray ids, NDArray tokenTypes, NDArray segments,
      boolean training) {
    if (segments != null && segment == null) {
      throw new IllegalArgumentException("segment ids given but the model has no segment table");
    }
    long length = ids.getShape().get(1);
    if (length > config.maxPositionEmbeddings()) {
      throw new IllegalArgumentException("sequence length " + length + " exceeds "
          + config.maxPositionEmbeddings() + " position embeddings");
    }
    return scoped(training, () -> {
      var device = ids.getDevice();
      NDArray x = lookup(ids, ps.getValue(word, device, training));
      boolean replaceType = segments != null && segmentMode == SegmentMode.REPLACES_TOKEN_TYPE;
      if (!replaceType) {
        NDArray types = tokenTypes != null ? tokenTypes : ids.zerosLike();
        x = x.add(lookup(types, ps.getValue(tokenType, device, training)));
      }
      if (segments != null) {
        x = x.add(lookup(segments, ps.getValue(segment, device, training)));
      }
      NDArray positions = ids.getManager().arange(0, (int) length, 1, DataType.INT64, device);
      x = x.add(lookup(positions, ps.getValue(position, device, training)));
      x = norm.apply(ps, x, training);
      return dropout(x, config.hiddenDropoutProb(), training);
    }, ids, tokenTypes, segments);
  }

  /**
   * Word vectors only (no position, type, LayerNorm): ids [B,T] -> [B,T,H] on ids' manager, e.g.
   * the inputs of PUNR's generation decoder.
   */
  public NDArray wordVectors(ParameterStore ps, NDArray ids, boolean training) {
    return lookup(ids, ps.getValue(word, ids.getDevice(), training));
  }

  private static NDArray lookup(NDArray ids, NDArray table) {
    NDArray idx = ids.getDataType() == DataType.INT64 ? ids : ids.toType(DataType.INT64, false);
    return Embedding.embedding(idx, table, SparseFormat.DENSE).singletonOrThrow();
  }

  /** Inputs: [ids, tokenTypes?, segments?]; output: [embeddings]. */
  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(embed(ps, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null,
        inputs.size() > 2 ? inputs.get(2) : null, training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0].add(config.hiddenSize())};
  }

  /** Builder: {@code setConfig} required. */
  public static final class Builder {
    private BertConfig config;
    private int segmentRows;
    private SegmentMode segmentMode = SegmentMode.REPLACES_TOKEN_TYPE;

    public Builder setConfig(BertConfig config) {
      this.config = config;
      return this;
    }

    /** Adds a segment (behaviour index) table of {@code rows} rows. */
    public Builder optSegmentEmbedding(int rows, SegmentMode mode) {
      this.segmentRows = rows;
      this.segmentMode = mode;
      return this;
    }

    public BertEmbeddings build() {
      if (config == null) {
        throw new IllegalArgumentException("BertEmbeddings needs setConfig");
      }
      return new BertEmbeddings(this);
    }
  }
}
