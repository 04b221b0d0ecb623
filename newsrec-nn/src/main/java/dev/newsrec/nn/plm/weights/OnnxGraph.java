package dev.newsrec.nn.plm.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an ONNX model that weight loading needs: graph initializers (name, dims, float
 * values) and nodes (op type, name, inputs, outputs). Read with {@link ProtoReader}; ONNX field
 * numbers follow onnx.proto (ModelProto.graph = 7, GraphProto.node = 1, initializer = 5, ...).
 */
public final class OnnxGraph {
  /** One graph node. */
  public record Node(String name, String opType, List<String> inputs, List<String> outputs) {}


  private static final int FLOAT = 1;
  private static final int INT64 = 7;
  private static final int FLOAT16 = 10;
  private static final int DOUBLE = 11;
  private static final int BFLOAT16 = 16;

  private final Map<String, HostTensor> initializers;
  private final List<Node> nodes;

  private OnnxGraph(Map<String, HostTensor> initializers, List<Node> nodes) {
    this.initializers = initializers;
    this.nodes = nodes;
  }

  /** Reads a whole ONNX model (weights embedded, not external data). */
  public static OnnxGraph read(InputStream in) throws IOException {
    byte[] bytes = in.readAllBytes();
    return parse(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
  }

  static OnnxGraph parse(ByteBuffer model) {
    ProtoReader m = new ProtoReader(model);
    while (m.next()) {
      if (m.field() == 7 && m.wireType() == ProtoReader.LENGTH_DELIMITED) {
        return parseGraph(m.message());
      }
      m.skip();
    }
    throw new IllegalArgumentException("not an ONNX model: no graph found");
  }

  private static OnnxGraph parseGraph(ProtoReader g) {
    Map<String, HostTensor> inits = new LinkedHashMap<>();
    List<Node> nodes = new ArrayList<>();
    while (g.next()) {
      switch (g.field()) {
        case 1 -> nodes.add(parseNode(g.message()));
        case 5 -> {
          HostTensor t = parseTensor(g.message());
          if (t != null) {
            inits.put(t.name(), t);
          }
        }
        default -> g.skip();
      }
    }
    return new OnnxGraph(inits, nodes);
  }

  private static Node parseNode(ProtoReader n) {
    List<String> inputs = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    String name = "";
    String op = "";
    while (n.next()) {
      switch (n.field()) {
        case 1 -> inputs.add(n.string());
        case 2 -> outputs.add(n.string());
        case 3 -> name = n.string();
        case 4 -> op = n.string();
        default -> n.skip();
      }
    }
    return new Node(name, op, List.copyOf(inputs), List.copyOf(outputs));
  }

  /** Returns null for tensors of types weight loading never needs (strings, integers, ...). */
  private static HostTensor parseTensor(ProtoReader t) {
    ProtoReader.LongList dims = new ProtoReader.LongList();
    int dataType = 0;
    String name = "";
    ByteBuffer raw = null;
    ProtoReader.LongList floatBits = new ProtoReader.LongList();
    boolean external = false;
    while (t.next()) {
      switch (t.field()) {
        case 1 -> t.varints(dims);
        case 2 -> dataType = (int) t.varint();
        case 4 -> {
          if (t.wireType() == ProtoReader.LENGTH_DELIMITED) {
            ByteBuffer packed = t.bytes();
            while (packed.hasRemaining()) {
              floatBits.add(packed.getInt());
            }
          } else {
            floatBits.add(t.fixed32());
          }
        }
        case 8 -> name = t.string();
        case 9 -> raw = t.bytes();
        case 13 -> {
          external = true;
          t.skip();
        }
        default -> t.skip();
      }
    }
    if (external) {
      throw new IllegalArgumentException(
          "ONNX initializer '" + name + "' uses external data, which is not supported");
    }
    long[] shape = dims.toArray();
    int count = Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact));
    float[] values;
    if (dataType == FLOAT || dataType == FLOAT16 || dataType == BFLOAT16 || dataType == DOUBLE) {
      if (raw != null) {
        values = decodeRaw(name, dataType, raw, count);
      } else if (dataType == FLOAT) {
        long[] bits = floatBits.toArray();
        values = new float[bits.length];
        for (int i = 0; i < bits.length; i++) {
          values[i] = Float.intBitsToFloat((int) bits[i]);
        }
      } else {
        return null;
      }
    } else if (dataType == INT64) {
      return null;
    } else {
      return null;
    }
    if (values.length != count) {
      throw new IllegalArgumentException("ONNX initializer '" + name + "' has " + values.length
          + " values for shape " + Arrays.toString(shape));
    }
    return new HostTensor(name, shape, values);
  }

  private static float[] decodeRaw(String name, int dataType, ByteBuffer raw, int count) {
    raw.order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[count];
    int width = switch (dataType) {
      case FLOAT -> 4;
      case DOUBLE -> 8;
      default -> 2;
    };
    if (raw.remaining() != (long) count * width) {
      throw new IllegalArgumentException("ONNX initializer '" + name + "' has " + raw.remaining()
          + " raw bytes, expected " + (long) count * width);
    }
    switch (dataType) {
      case FLOAT -> {
        FloatBuffer fb = raw.asFloatBuffer();
        fb.get(values);
      }
      case DOUBLE -> {
        for (int i = 0; i < count; i++) {
          values[i] = (float) raw.getDouble();
        }
      }
      case FLOAT16 -> {
        for (int i = 0; i < count; i++) {
          values[i] = HalfFloats.fromHalf(raw.getShort());
        }
      }
      default -> {
        for (int i = 0; i < count; i++) {
          values[i] = HalfFloats.fromBfloat16(raw.getShort());
        }
      }
    }
    return values;
  }

  public Map<String, HostTensor> initializers() {
    return initializers;
  }

  public List<Node> nodes() {
    return nodes;
  }
}
