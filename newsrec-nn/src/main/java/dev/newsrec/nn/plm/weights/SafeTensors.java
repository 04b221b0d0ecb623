package dev.newsrec.nn.plm.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.newsrec.core.UserException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
 * mapping each tensor name to {dtype, shape, data_offsets [begin, end)} relative to the end of the
 * header, then the raw little-endian data. F32 is read as is; F16, BF16 and F64 are converted to
 * float32. Tensors are read on demand from the file (memory-mapped per tensor).
 */
public final class SafeTensors {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where one tensor lies in the file. */
  private record Entry(String dtype, long[] shape, long begin, long end) {}

  private final Path file;
  private final long dataStart;
  private final Map<String, Entry> entries;

  private SafeTensors(Path file, long dataStart, Map<String, Entry> entries) {
    this.file = file;
    this.dataStart = dataStart;
    this.entries = entries;
  }

  /** Reads the header of a safetensors file; tensors are read by {@link #get}. */
  public static SafeTensors open(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lenBuf, 0);
      long headerLength = lenBuf.getLong(0);
      if (headerLength <= 0 || headerLength > 100_000_000L || 8 + headerLength > size) {
        throw new UserException(file + ": not a safetensors file (header length " + headerLength
            + ", file size " + size + ")");
      }
      ByteBuffer header = ByteBuffer.allocate((int) headerLength);
      readFully(ch, header, 8);
      JsonNode root = JSON.readTree(new String(header.array(), StandardCharsets.UTF_8));
      Map<String, Entry> entries = new LinkedHashMap<>();
      long dataSize = size - 8 - headerLength;
      for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        if (f.getKey().equals("__metadata__")) {
          continue;
        }
        JsonNode n = f.getValue();
        JsonNode shapeNode = n.path("shape");
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = shapeNode.get(i).asLong();
        }
        long begin = n.path("data_offsets").path(0).asLong(-1);
        long end = n.path("data_offsets").path(1).asLong(-1);
        if (begin < 0 || end < begin || end > dataSize) {
          throw new UserException(file + ": tensor '" + f.getKey() + "' has data_offsets ["
              + begin + ", " + end + ") outside the " + dataSize + " data bytes");
        }
        entries.put(f.getKey(), new Entry(n.path("dtype").asText(), shape, begin, end));
      }
      return new SafeTensors(file, 8 + headerLength, entries);
    } catch (IOException e) {
      throw new UserException(file + ": cannot read safetensors file: " + e.getMessage());
    }
  }

  public Set<String> names() {
    return entries.keySet();
  }

  public boolean contains(String name) {
    return entries.containsKey(name);
  }

  public long[] shape(String name) {
    return entry(name).shape().clone();
  }

  /** Reads one tensor as float32. */
  public HostTensor get(String name) {
    Entry e = entry(name);
    int width = switch (e.dtype()) {
      case "F32" -> 4;
      case "F16", "BF16" -> 2;
      case "F64" -> 8;
      default -> throw new UserException(file + ": tensor '" + name + "' has dtype " + e.dtype()
          + "; only F32, F16, BF16 and F64 weights can be loaded");
    };
    long count = Arrays.stream(e.shape()).reduce(1, Math::multiplyExact);
    if (count * width != e.end() - e.begin()) {
      throw new UserException(file + ": tensor '" + name + "' has " + (e.end() - e.begin())
          + " bytes for shape " + Arrays.toString(e.shape()) + " and dtype " + e.dtype());
    }
    float[] out = new float[Math.toIntExact(count)];
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(),
          e.end() - e.begin()).order(ByteOrder.LITTLE_ENDIAN);
      switch (e.dtype()) {
        case "F32" -> b.asFloatBuffer().get(out);
        case "F16" -> {
          for (int i = 0; i < out.length; i++) {
            out[i] = HalfFloats.fromHalf(b.getShort());
          }
        }
        case "BF16" -> {
          for (int i = 0; i < out.length; i++) {
            out[i] = HalfFloats.fromBfloat16(b.getShort());
          }
        }
        default -> {
          for (int i = 0; i < out.length; i++) {
            out[i] = (float) b.getDouble();
          }
        }
      }
    } catch (IOException ex) {
      throw new UserException(file + ": cannot read tensor '" + name + "': " + ex.getMessage());
    }
    return new HostTensor(name, e.shape().clone(), out);
  }

  private Entry entry(String name) {
    Entry e = entries.get(name);
    if (e == null) {
      throw new UserException(file + ": no tensor named '" + name + "'");
    }
    return e;
  }

  /** Writes float32 tensors in the given order (the caller writes atomically if it must). */
  public static void write(OutputStream target, Collection<HostTensor> tensors) throws IOException {
    ObjectNode header = JSON.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long offset = 0;
    for (HostTensor t : tensors) {
      ObjectNode n = header.putObject(t.name());
      n.put("dtype", "F32");
      var shape = n.putArray("shape");
      for (long d : t.shape()) {
        shape.add(d);
      }
      long bytes = 4L * t.data().length;
      n.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] json = JSON.writeValueAsBytes(header);
    int padded = (json.length + 7) / 8 * 8;
    byte[] headerBytes = Arrays.copyOf(json, padded);
    Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
    OutputStream out = new BufferedOutputStream(target, 1 << 16);
    ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, padded);
    out.write(len.array());
    out.write(headerBytes);
    ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (HostTensor t : tensors) {
      for (float v : t.data()) {
        if (!chunk.hasRemaining()) {
          out.write(chunk.array(), 0, chunk.position());
          chunk.clear();
        }
        chunk.putFloat(v);
      }
    }
    out.write(chunk.array(), 0, chunk.position());
    out.flush();
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
      pos += n;
    }
  }
}
