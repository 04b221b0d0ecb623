package dev.newsrec.nn.plm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.djl.training.initializer.Initializer;

/** A linear layer y = x W^T + b with W stored [out, in] as in PyTorch and Hugging Face. */
public final class Dense extends PlmBlock {
  private final long inputSize;
  private final long outputSize;
  private final Parameter weight;
  private final Parameter bias;

  private Dense(Builder b) {
    inputSize = b.inputSize;
    outputSize = b.outputSize;
    weight = param("weight", Parameter.Type.WEIGHT, BERT_INIT, new Shape(outputSize, inputSize));
    bias = b.bias
        ? param("bias", Parameter.Type.BIAS, Initializer.ZEROS, new Shape(outputSize))
        : null;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Unit-test size: 32 -> 32; not initialised. */
  public static Dense tiny() {
    return builder().setInputSize(32).setOutputSize(32).build();
  }

  /** x [..., in] -> [..., out], attached to x's manager. */
  public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
    NDArray w = weight(ps, x, training);
    NDArray b = bias(ps, x, training);
    return linear(x, w, b);
  }

  /** This layer's weight [out, in] as the parameter store hands it out for x's device. */
  NDArray weight(ParameterStore ps, NDArray x, boolean training) {
    return ps.getValue(weight, x.getDevice(), training);
  }

  /** This layer's bias [out], or null when it has none. */
  NDArray bias(ParameterStore ps, NDArray x, boolean training) {
    return bias == null ? null : ps.getValue(bias, x.getDevice(), training);
  }

  /** x [..., in] W^T + b for any W [out, in] and b [out] (or null), attached to x's manager. */
  static NDArray linear(NDArray x, NDArray w, NDArray b) {
    Shape shape = x.getShape();
    if (shape.dimension() <= 2) {
      return Linear.linear(x, w, b).singletonOrThrow();
    }
    // PyTorch fuses bias and matmul (addmm) only for 2-D inputs: about 15% faster here
    long in = shape.get(shape.dimension() - 1);
    long out = w.getShape().get(0);
    long rows = shape.size() / in;
    try (NDArray flat = x.reshape(rows, in);
        NDArray y = Linear.linear(flat, w, b).singletonOrThrow()) {
      return y.reshape(shape.slice(0, shape.dimension() - 1).add(out));
    }
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(apply(ps, inputs.head(), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {in.slice(0, in.dimension() - 1).add(outputSize)};
  }

  /** Builder: {@code setInputSize} and {@code setOutputSize} are required. */
  public static final class Builder {
    private long inputSize = -1;
    private long outputSize = -1;
    private boolean bias = true;

    public Builder setInputSize(long inputSize) {
      this.inputSize = inputSize;
      return this;
    }

    public Builder setOutputSize(long outputSize) {
      this.outputSize = outputSize;
      return this;
    }

    public Builder optBias(boolean bias) {
      this.bias = bias;
      return this;
    }

    public Dense build() {
      if (inputSize < 1 || outputSize < 1) {
        throw new IllegalArgumentException("Dense needs setInputSize and setOutputSize");
      }
      return new Dense(this);
    }
  }
}
