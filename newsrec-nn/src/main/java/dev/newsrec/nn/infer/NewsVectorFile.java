package dev.newsrec.nn.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.newsrec.core.UserException;
import dev.newsrec.core.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * News vectors of a corpus for one model, the format {@code predict --vectors} writes and the
 * server and Spark read: a first line of JSON ({@code {"format":"newsrec-news-vectors","version":1,
 * "model":SHA-256 of the model (ModelManifest.checksum),"type":..,"dim":D,"count":N}}), then N
 * records of: id length (uint16, little-endian), the id in UTF-8, D float32 little-endian.
 */
public final class NewsVectorFile {
  public static final String FORMAT = "newsrec-news-vectors";
  private static final ObjectMapper JSON = new ObjectMapper();

  private NewsVectorFile() {}

  /** vectors.get(i) is the vector of ids.get(i). */
  public static void write(Path file, String modelChecksum, String type, List<String> ids, List<float[]> vectors) {
    int dim = vectors.isEmpty() ? 0 : vectors.get(0).length;
    AtomicFiles.writeBytes(file, out -> {
      Map<String, Object> header = new LinkedHashMap<>();
      header.put("format", FORMAT);
      header.put("version", 1);
      header.put("model", modelChecksum);
      header.put("type", type);
      header.put("dim", dim);
      header.put("count", ids.size());
      out.write((JSON.writeValueAsString(header) + "\n").getBytes(StandardCharsets.UTF_8));
      ByteBuffer b = ByteBuffer.allocate(2 + 65535 + 4 * dim).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < ids.size(); i++) {
        byte[] id = ids.get(i).getBytes(StandardCharsets.UTF_8);
        b.clear();
        b.putShort((short) id.length).put(id);
        for (float x : vectors.get(i)) b.putFloat(x);
        out.write(b.array(), 0, b.position());
      }
    });
  }

  /** The vectors by news id; the file must have been written for the model with this checksum. */
  public static Map<String, float[]> read(Path file, String modelChecksum) {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      StringBuilder line = new StringBuilder();
      for (int c; (c = raw.read()) != '\n'; ) {
        if (c < 0 || line.length() > 4096) throw new UserException(file + ": not a news vector file (no header line)");
        line.append((char) c);
      }
      JsonNode h;
      try {
        h = JSON.readTree(line.toString());
      } catch (IOException e) {
        throw new UserException(file + ": not a news vector file (header is not JSON)");
      }
      if (!FORMAT.equals(h.path("format").asText())) throw new UserException(file + ": not a news vector file");
      if (!h.path("model").asText().equals(modelChecksum)) {
        throw new UserException(file + ": written for another model (checksum " + h.path("model").asText()
            + ", this model " + modelChecksum + ")");
      }
      int dim = h.path("dim").asInt();
      int count = h.path("count").asInt();
      DataInputStream in = new DataInputStream(raw);
      Map<String, float[]> out = new LinkedHashMap<>();
      byte[] buf = new byte[4 * dim];
      for (int i = 0; i < count; i++) {
        int len = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
        byte[] id = new byte[len];
        in.readFully(id);
        in.readFully(buf);
        float[] v = new float[dim];
        ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        out.put(new String(id, StandardCharsets.UTF_8), v);
      }
      return out;
    } catch (EOFException e) {
      throw new UserException(file + ": truncated (fewer vectors than its header says)");
    } catch (IOException e) {
      throw new UserException(file + ": cannot read: " + e.getMessage());
    }
  }

}
