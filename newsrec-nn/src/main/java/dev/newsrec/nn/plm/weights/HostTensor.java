package dev.newsrec.nn.plm.weights;

import java.util.Arrays;

/**
 * A named float32 tensor in Java memory, row-major: the currency between weight files and
 * parameters.
 */
public record HostTensor(String name, long[] shape, float[] data) {
  public HostTensor {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    if (n != data.length) {
      throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
          + " needs " + n + " values, got " + data.length);
    }
  }

  public String shapeText() {
    return Arrays.toString(shape);
  }

  /** The transpose of a 2-D tensor (ONNX MatMul weights are [in, out]; PyTorch's are [out, in]). */
  public HostTensor transposed() {
    if (shape.length != 2) {
      throw new IllegalArgumentException("tensor '" + name + "' is not 2-D: " + shapeText());
    }
    int rows = (int) shape[0];
    int cols = (int) shape[1];
    float[] t = new float[data.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = data[r * cols + c];
      }
    }
    return new HostTensor(name, new long[] {cols, rows}, t);
  }
}
