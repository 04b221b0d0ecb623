package dev.newsrec.nn.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A small stand-in for a real model: an "encoder" (Linear, LayerNorm, ReLU, Dropout) and a
 * "head" (Linear), so parameter names look like {@code 01encoder_01Linear_weight},
 * {@code 01encoder_02LayerNorm_gamma}, {@code 02head_bias}.
 */
final class TinyModel extends AbstractBlock {
  private final Block encoder;
  private final Block head;

  TinyModel(int hidden, int out, float dropout) {
    encoder = addChildBlock("encoder", new SequentialBlock()
        .add(Linear.builder().setUnits(hidden).build())
        .add(LayerNorm.builder().build())
        .add(Activation::relu)
        .add(Dropout.builder().optRate(dropout).build()));
    head = addChildBlock("head", Linear.builder().setUnits(out).build());
  }

  /** A model with initial weights that depend only on {@code seed}. */
  static TinyModel create(NDManager manager, long seed, int in, int hidden, int out, float dropout) {
    Engine.getInstance().setRandomSeed((int) seed);
    TinyModel m = new TinyModel(hidden, out, dropout);
    m.initialize(manager, DataType.FLOAT32, new Shape(1, in));
    return m;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return head.forward(ps, encoder.forward(ps, inputs, training), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return head.getOutputShapes(encoder.getOutputShapes(inputShapes));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    encoder.initialize(manager, dataType, inputShapes);
    head.initialize(manager, dataType, encoder.getOutputShapes(inputShapes));
  }
}
