package dev.newsrec.nn.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Token ids -> embedding table -> mean over positions -> LayerNorm -> dropout -> Linear logits.
 * Shaped like the real encoders (an embedding matrix, a norm, a classifier) at toy size.
 */
final class TinyTextClassifier extends AbstractBlock {
  private final Parameter embedding;
  private final Block norm;
  private final Block dropout;
  private final Block classifier;
  private final int vocab;
  private final int dim;

  TinyTextClassifier(int vocab, int dim, int classes, float dropoutRate) {
    this.vocab = vocab;
    this.dim = dim;
    embedding = addParameter(Parameter.builder().setName("word_embeddings").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(vocab, dim)).build());
    norm = addChildBlock("LayerNorm", LayerNorm.builder().build());
    dropout = addChildBlock("dropout", Dropout.builder().optRate(dropoutRate).build());
    classifier = addChildBlock("classifier", Linear.builder().setUnits(classes).build());
  }

  static TinyTextClassifier create(NDManager manager, long seed, int vocab, int dim, int classes, float dropout) {
    Engine.getInstance().setRandomSeed((int) seed);
    TinyTextClassifier m = new TinyTextClassifier(vocab, dim, classes, dropout);
    m.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
    return m;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray ids = inputs.singletonOrThrow();
    NDArray table = ps.getValue(embedding, ids.getDevice(), training);
    NDArray pooled = Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow().mean(new int[] {1});
    NDList h = norm.forward(ps, new NDList(pooled), training);
    h = dropout.forward(ps, h, training);
    return classifier.forward(ps, h, training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return classifier.getOutputShapes(new Shape[] {new Shape(inputShapes[0].get(0), dim)});
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape pooled = new Shape(inputShapes[0].get(0), dim);
    norm.initialize(manager, dataType, pooled);
    dropout.initialize(manager, dataType, pooled);
    classifier.initialize(manager, dataType, pooled);
  }

  int vocab() {
    return vocab;
  }
}
