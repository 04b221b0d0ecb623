package dev.newsrec.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The folder a train bench hands the PyTorch reference: {@code data.bin} (little-endian arrays one
 * after the other) and {@code index.json} ({@code {"NAME": {"dtype", "shape", "offset"}}}), weights
 * as {@code param.NAME} (float32), inputs as {@code input.NAME} (float32 or int64). The index is
 * written last, so a folder without one is an unfinished dump.
 */
final class BenchDump implements AutoCloseable {
  private final Path dir;
  private final OutputStream out;
  private final StringBuilder index = new StringBuilder("{");
  private long offset;

  BenchDump(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir);
    Files.deleteIfExists(dir.resolve("index.json"));
    out = new BufferedOutputStream(Files.newOutputStream(dir.resolve("data.bin")));
  }

  /** Every parameter of the map as param.NAME. */
  BenchDump params(Map<String, Parameter> params) throws IOException {
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      NDArray a = e.getValue().getArray();
      floats("param." + e.getKey(), a.toFloatArray(), a.getShape().getShape());
    }
    return this;
  }

  BenchDump floats(String name, float[] v, long... shape) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(v);
    out.write(buf.array());
    return entry(name, "float32", shape, v.length * 4L);
  }

  BenchDump longs(String name, long[] v, long... shape) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    buf.asLongBuffer().put(v);
    out.write(buf.array());
    return entry(name, "int64", shape, v.length * 8L);
  }

  private BenchDump entry(String name, String dtype, long[] shape, long bytes) {
    long n = 1;
    for (long d : shape) n *= d;
    if (n * (dtype.equals("int64") ? 8 : 4) != bytes) {
      throw new IllegalArgumentException(name + ": shape " + java.util.Arrays.toString(shape)
          + " does not match " + bytes + " bytes of " + dtype);
    }
    index.append('"').append(name).append("\": {\"dtype\": \"").append(dtype).append("\", \"shape\": [");
    for (int i = 0; i < shape.length; i++) index.append(i > 0 ? ", " : "").append(shape[i]);
    index.append("], \"offset\": ").append(offset).append("},");
    offset += bytes;
    return this;
  }

  @Override
  public void close() throws IOException {
    out.close();
    if (index.length() > 1) index.setLength(index.length() - 1);
    index.append('}');
    Files.writeString(dir.resolve("index.json"), index.toString());
  }
}
