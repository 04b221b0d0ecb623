package dev.newsrec.nn.plm.weights;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The protobuf reader on hand-made ONNX messages: packed and unpacked fields, float_data. */
class OnnxGraphTest {
  @Test
  void readsInitializersAndNodesInEveryEncoding() throws Exception {
    // TensorProto with unpacked dims and packed float_data, stored [in=2, out=3]
    Msg weight = new Msg().varint(1, 2).varint(1, 3).varint(2, 1)
        .bytes(4, floats(1, 2, 3, 4, 5, 6)).string(8, "onnx::MatMul_7");
    // TensorProto with packed dims and raw_data
    Msg bias = new Msg().bytes(1, varints(3)).varint(2, 1).string(8, "dense.bias")
        .bytes(9, floats(0.5f, -1f, 2f));
    Msg int64 = new Msg().varint(1, 1).varint(2, 7).string(8, "shape_const")
        .bytes(9, new byte[8]);
    Msg node = new Msg().string(1, "x").string(1, "onnx::MatMul_7").string(2, "y")
        .string(3, "/dense/MatMul").string(4, "MatMul");
    Msg graph = new Msg().message(1, node).string(2, "g").message(5, weight).message(5, bias)
        .message(5, int64);
    Msg model = new Msg().varint(1, 8).message(7, graph);
    OnnxGraph g = OnnxGraph.read(new ByteArrayInputStream(model.toByteArray()));
    assertThat(g.initializers()).containsOnlyKeys("onnx::MatMul_7", "dense.bias");
    assertThat(g.initializers().get("dense.bias").data()).containsExactly(0.5f, -1f, 2f);
    assertThat(g.nodes()).hasSize(1);
    assertThat(g.nodes().get(0).inputs()).containsExactly("x", "onnx::MatMul_7");

    var bert = MiniLm.bertWeights(g);
    HostTensor w = bert.get("dense.weight");
    assertThat(w.shape()).containsExactly(3, 2);
    assertThat(w.data()).containsExactly(1, 4, 2, 5, 3, 6);
    assertThat(bert).containsKey("dense.bias");
  }

  private static byte[] floats(float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  private static byte[] varints(long... v) {
    Msg m = new Msg();
    for (long x : v) {
      m.rawVarint(x);
    }
    return m.toByteArray();
  }

  /** A tiny protobuf writer for the test. */
  private static final class Msg {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Msg rawVarint(long v) {
      while ((v & ~0x7fL) != 0) {
        out.write((int) ((v & 0x7f) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
      return this;
    }

    Msg varint(int field, long v) {
      return rawVarint((long) field << 3).rawVarint(v);
    }

    Msg bytes(int field, byte[] b) {
      rawVarint(((long) field << 3) | 2).rawVarint(b.length);
      out.writeBytes(b);
      return this;
    }

    Msg string(int field, String s) {
      return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    Msg message(int field, Msg m) {
      return bytes(field, m.toByteArray());
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }
}
