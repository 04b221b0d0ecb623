package dev.newsrec.nn.plm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/** LayerNorm over the last axis with Hugging Face names (weight = gamma, bias = beta). */
public final class Norm extends PlmBlock {
  private final long size;
  private final float eps;
  private final Parameter gamma;
  private final Parameter beta;

  private Norm(Builder b) {
    size = b.size;
    eps = b.eps;
    gamma = param("weight", Parameter.Type.GAMMA, Initializer.ONES, new Shape(size));
    beta = param("bias", Parameter.Type.BETA, Initializer.ZEROS, new Shape(size));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Unit-test size: 32; not initialised. */
  public static Norm tiny() {
    return builder().setSize(32).build();
  }

  /** x [..., size] -> normalised, attached to x's manager. */
  public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
    NDArray g = ps.getValue(gamma, x.getDevice(), training);
    NDArray b = ps.getValue(beta, x.getDevice(), training);
    return LayerNorm.layerNorm(x, new Shape(size), g, b, eps).singletonOrThrow();
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(apply(ps, inputs.head(), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  /** Builder: {@code setSize} required; {@code optEps} defaults to 1e-12 (BERT). */
  public static final class Builder {
    private long size = -1;
    private float eps = 1e-12f;

    public Builder setSize(long size) {
      this.size = size;
      return this;
    }

    public Builder optEps(float eps) {
      this.eps = eps;
      return this;
    }

    public Norm build() {
      if (size < 1) {
        throw new IllegalArgumentException("Norm needs setSize");
      }
      return new Norm(this);
    }
  }
}
