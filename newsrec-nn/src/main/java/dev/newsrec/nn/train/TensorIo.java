package dev.newsrec.nn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A simple binary form of one array: data type name, rank, dimensions, byte count, then the raw
 * little-endian row-major bytes. Values round-trip bit for bit.
 */
public final class TensorIo {
  private static final long MAX_BYTES = Integer.MAX_VALUE - 16;

  private TensorIo() {}

  public static void write(DataOutputStream out, NDArray array) throws IOException {
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new IOException("checkpoints are written on little-endian machines only");
    }
    out.writeUTF(array.getDataType().name());
    Shape shape = array.getShape();
    out.writeInt(shape.dimension());
    for (long d : shape.getShape()) out.writeLong(d);
    byte[] bytes = array.toByteArray();
    out.writeLong(bytes.length);
    out.write(bytes);
  }

  public static NDArray read(DataInputStream in, NDManager manager) throws IOException {
    DataType type;
    String typeName = in.readUTF();
    try {
      type = DataType.valueOf(typeName);
    } catch (IllegalArgumentException e) {
      throw new IOException("unknown data type " + typeName, e);
    }
    int rank = in.readInt();
    if (rank < 0 || rank > 32) throw new IOException("bad rank " + rank);
    long[] dims = new long[rank];
    for (int i = 0; i < rank; i++) {
      dims[i] = in.readLong();
      if (dims[i] < 0) throw new IOException("bad dimension " + dims[i]);
    }
    Shape shape = new Shape(dims);
    long n = in.readLong();
    if (n < 0 || n > MAX_BYTES || n != shape.size() * type.getNumOfBytes()) {
      throw new IOException("byte count " + n + " does not fit " + type + " " + shape);
    }
    byte[] bytes = new byte[(int) n];
    in.readFully(bytes);
    ByteBuffer buf = ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.nativeOrder());
    buf.put(bytes).rewind();
    return manager.create(buf, shape, type);
  }
}
