package dev.newsrec.nn.plm.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import dev.newsrec.core.UserException;
import dev.newsrec.nn.plm.PlmBlock;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;

/** Copies host tensors into initialised parameters and back, checking names and shapes. */
public final class Weights {
  private Weights() {}

  /**
   * For each parameter, asks {@code source} for the tensor of that name (null = missing) and copies
   * it in. Fails on the first missing tensor or wrong shape, naming the tensor and both shapes.
   * Parameters named in {@code optional} may be missing and keep their values.
   */
  public static void assign(Map<String, Parameter> params, Function<String, HostTensor> source,
      String sourceName, java.util.Set<String> optional) {
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      HostTensor t = source.apply(e.getKey());
      if (t == null) {
        if (optional.contains(e.getKey())) {
          continue;
        }
        throw new UserException(sourceName + ": missing tensor '" + e.getKey() + "' (expected shape "
            + e.getValue().getShape() + ")");
      }
      set(e.getKey(), e.getValue(), t, sourceName);
    }
  }

  /** Copies one tensor into an initialised parameter after checking its shape. */
  public static void set(String name, Parameter p, HostTensor t, String sourceName) {
    if (!p.isInitialized()) {
      throw new IllegalStateException("parameter '" + name + "' is not initialised;"
          + " call block.initialize(...) before loading weights");
    }
    long[] expected = p.getArray().getShape().getShape();
    if (!Arrays.equals(expected, t.shape())) {
      throw new UserException(sourceName + ": tensor '" + t.name() + "' has shape "
          + t.shapeText() + " but parameter '" + name + "' needs " + Arrays.toString(expected));
    }
    PlmBlock.assign(p.getArray(), t.data());
  }

  /** The current value of a parameter as a host tensor named {@code name}. */
  public static HostTensor get(String name, Parameter p) {
    NDArray a = p.getArray();
    return new HostTensor(name, a.getShape().getShape(), a.toFloatArray());
  }
}
