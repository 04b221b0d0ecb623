package dev.newsrec.nn.plm.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A minimal reader of the protocol buffers wire format: enough to walk ONNX messages without a
 * generated schema. Each message is a slice of one buffer; nothing is copied until asked.
 */
final class ProtoReader {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private final ByteBuffer buf;
  private int field;
  private int wireType;

  ProtoReader(ByteBuffer buf) {
    this.buf = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Moves to the next field; false at the end of the message. */
  boolean next() {
    if (!buf.hasRemaining()) {
      return false;
    }
    long key = readVarint();
    field = (int) (key >>> 3);
    wireType = (int) (key & 7);
    return true;
  }

  int field() {
    return field;
  }

  int wireType() {
    return wireType;
  }

  long varint() {
    expect(VARINT);
    return readVarint();
  }

  /** The bytes of a length-delimited field, as a view into the underlying buffer. */
  ByteBuffer bytes() {
    expect(LENGTH_DELIMITED);
    int length = Math.toIntExact(readVarint());
    if (length > buf.remaining()) {
      throw new IllegalStateException("truncated protobuf: field " + field + " wants " + length
          + " bytes, " + buf.remaining() + " left");
    }
    ByteBuffer slice = buf.slice().limit(length).order(ByteOrder.LITTLE_ENDIAN);
    buf.position(buf.position() + length);
    return slice;
  }

  String string() {
    ByteBuffer b = bytes();
    byte[] a = new byte[b.remaining()];
    b.get(a);
    return new String(a, StandardCharsets.UTF_8);
  }

  ProtoReader message() {
    return new ProtoReader(bytes());
  }

  int fixed32() {
    expect(FIXED32);
    return buf.getInt();
  }

  long fixed64() {
    expect(FIXED64);
    return buf.getLong();
  }

  /** Reads a repeated varint field in either packed or unpacked form, appending to {@code out}. */
  void varints(LongList out) {
    if (wireType == LENGTH_DELIMITED) {
      ProtoReader packed = new ProtoReader(bytes());
      while (packed.buf.hasRemaining()) {
        out.add(packed.readVarint());
      }
    } else {
      out.add(varint());
    }
  }

  void skip() {
    switch (wireType) {
      case VARINT -> readVarint();
      case FIXED64 -> buf.position(buf.position() + 8);
      case LENGTH_DELIMITED -> bytes();
      case FIXED32 -> buf.position(buf.position() + 4);
      default -> throw new IllegalStateException(
          "unsupported protobuf wire type " + wireType + " in field " + field);
    }
  }

  private void expect(int type) {
    if (wireType != type) {
      throw new IllegalStateException(
          "protobuf field " + field + " has wire type " + wireType + ", expected " + type);
    }
  }

  private long readVarint() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte b = buf.get();
      result |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new IllegalStateException("malformed protobuf varint");
  }

  /** A growable list of longs. */
  static final class LongList {
    private long[] values = new long[8];
    private int size;

    void add(long v) {
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    long[] toArray() {
      return java.util.Arrays.copyOf(values, size);
    }
  }
}
