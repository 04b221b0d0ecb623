package dev.newsrec.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.newsrec.core.UserException;
import dev.newsrec.core.config.ConfigTree;
import dev.newsrec.core.model.Recommender;
import dev.newsrec.core.model.RecommenderSpec;
import dev.newsrec.nn.plm.weights.HfFolder;
import dev.newsrec.nn.plm.weights.MiniLm;
import dev.newsrec.nn.plm.weights.PretrainedPlm;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;

import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code model/manifest.json}: what a saved model is (type, resolved options, the PLM it was built
 * on with its checksum, the SHA-256 of every file of the folder, the run's provenance), so a model
 * folder loads by itself, without its run's config, in any process ({@link #load}).
 */
public final class ModelManifest {
  public static final String FILE = "manifest.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelManifest() {}

  /** Writes the manifest of the model files already in dir. */
  public static void write(Path dir, String type, JsonNode options, JsonNode provenance) {
    try {
      ObjectNode m = JSON.createObjectNode();
      m.put("format", 1);
      m.put("type", type);
      m.set("options", options == null ? JSON.createObjectNode() : options);
      if (options != null && options.hasNonNull("plm")) {
        String plm = options.get("plm").asText();
        m.putObject("plm").put("source", plm).put("sha256", plmChecksum(plm));
      }
      ObjectNode files = m.putObject("files");
      try (Stream<Path> s = Files.list(dir)) {
        for (Path f : s.sorted().toList()) {
          if (Files.isRegularFile(f) && !f.getFileName().toString().equals(FILE)) {
            files.put(f.getFileName().toString(), sha256(Files.newInputStream(f)));
          }
        }
      }
      if (provenance != null) m.set("provenance", provenance);
      Files.writeString(dir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(FILE) + ": " + e.getMessage(), e);
    }
  }

  /** The manifest of a model folder; a clear error when the folder has none or it is broken. */
  public static JsonNode read(Path dir) {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new UserException(dir + ": no " + FILE + " (not a model folder, or saved by a newsrec before manifests)");
    }
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UserException(file + ": not a valid manifest: " + e.getMessage());
    }
  }

  /** The model's checksum: SHA-256 over its files' names and checksums (what vector files are stamped with). */
  public static String checksum(Path dir) {
    StringBuilder all = new StringBuilder();
    read(dir).get("files").fields().forEachRemaining(e -> all.append(e.getKey()).append(' ')
        .append(e.getValue().asText()).append('\n'));
    return sha256(new java.io.ByteArrayInputStream(all.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  /**
   * Loads a model from its folder alone: checks every file against the manifest and the PLM against
   * the one it was built on, binds the recorded options and hands the folder to the model's spec.
   */
  public static Recommender load(Path dir) {
    JsonNode m = read(dir);
    for (Iterator<Map.Entry<String, JsonNode>> it = m.get("files").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Path f = dir.resolve(e.getKey());
      if (!Files.isRegularFile(f)) throw new UserException(f + ": missing (listed in " + FILE + ")");
      try {
        if (!sha256(Files.newInputStream(f)).equals(e.getValue().asText())) {
          throw new UserException(f + ": changed since the model was saved (SHA-256 differs from " + FILE + ")");
        }
      } catch (IOException x) {
        throw new UncheckedIOException("cannot read " + f + ": " + x.getMessage(), x);
      }
    }
    if (m.has("plm")) {
      String source = m.get("plm").get("source").asText();
      String now = plmChecksum(source);
      if (!now.equals(m.get("plm").get("sha256").asText())) {
        throw new UserException(dir + ": the model was built on PLM '" + source
            + "', whose weights have changed since (SHA-256 differs)");
      }
    }
    RecommenderSpec<?> spec = Models.get(m.get("type").asText());
    Object options = ConfigTree.bind(m.get("options"), "model", spec.optionsType(), dir.resolve(FILE).toString());
    return load(spec, options, dir);
  }

  @SuppressWarnings("unchecked")
  private static <O> Recommender load(RecommenderSpec<O> spec, Object options, Path dir) {
    return spec.load((O) options, dir);
  }

  /** SHA-256 of the PLM's weights: the bundled MiniLM's resource, or a folder's model.safetensors. */
  static String plmChecksum(String source) {
    try {
      if (source.equalsIgnoreCase(PretrainedPlm.BUNDLED)) return sha256(MiniLm.openOnnx());
      Path weights = Path.of(source).resolve(HfFolder.WEIGHTS);
      if (!Files.isRegularFile(weights)) throw new UserException("PLM '" + source + "': no " + HfFolder.WEIGHTS);
      return sha256(Files.newInputStream(weights));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the PLM '" + source + "': " + e.getMessage(), e);
    }
  }

  static String sha256(InputStream in) {
    try (DigestInputStream d = new DigestInputStream(in, MessageDigest.getInstance("SHA-256"))) {
      d.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(d.getMessageDigest().digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
