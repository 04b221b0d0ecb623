package dev.newsrec.core.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.newsrec.core.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An experiment config as a YAML tree: loaded from a file, overridden with {@code key=value}
 * pairs, then bound section by section to typed records. Unknown keys are errors.
 */
public final class ConfigTree {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
  private static final ObjectMapper BINDER = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private final ObjectNode root;
  private final String source;

  private ConfigTree(ObjectNode root, String source) {
    this.root = root;
    this.source = source;
  }

  public static ConfigTree load(Path file) {
    if (!Files.isRegularFile(file)) throw new UserException("config " + file + ": no such file");
    try {
      JsonNode n = YAML.readTree(file.toFile());
      if (n == null || !n.isObject()) {
        throw new UserException("config " + file + ": expected a YAML mapping at the top level");
      }
      return new ConfigTree((ObjectNode) n, file.toString());
    } catch (IOException e) {
      throw new UserException("config " + file + ": not valid YAML: " + firstLine(e.getMessage()));
    }
  }

  public static ConfigTree parse(String yaml, String source) {
    try {
      JsonNode n = YAML.readTree(yaml);
      return new ConfigTree(n != null && n.isObject() ? (ObjectNode) n
          : JsonNodeFactory.instance.objectNode(), source);
    } catch (IOException e) {
      throw new UserException("config " + source + ": not valid YAML: " + firstLine(e.getMessage()));
    }
  }

  public String source() { return source; }

  public ObjectNode root() { return root; }

  /** Applies {@code a.b.c=value}; the value is read as YAML, so numbers and booleans keep types. */
  public ConfigTree set(String assignment) {
    int eq = assignment.indexOf('=');
    if (eq <= 0) throw new UserException("--set " + assignment + ": expected key=value");
    String key = assignment.substring(0, eq).trim();
    String raw = assignment.substring(eq + 1);
    JsonNode value;
    try {
      value = raw.isEmpty() ? JsonNodeFactory.instance.textNode("") : YAML.readTree(raw);
    } catch (IOException e) {
      value = JsonNodeFactory.instance.textNode(raw);
    }
    ObjectNode node = root;
    String[] parts = key.split("\\.");
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode child = node.get(parts[i]);
      if (child == null || !child.isObject()) child = node.putObject(parts[i]);
      node = (ObjectNode) child;
    }
    node.set(parts[parts.length - 1], value);
    return this;
  }

  public ConfigTree setAll(List<String> assignments) {
    for (String a : assignments) set(a);
    return this;
  }

  /** The subtree at a dotted path, or an empty object. */
  public JsonNode at(String path) {
    JsonNode n = root;
    for (String p : path.split("\\.")) {
      n = n == null ? null : n.get(p);
    }
    return n == null ? JsonNodeFactory.instance.objectNode() : n;
  }

  /** Binds the whole tree (or a section of it) to a record; unknown keys name their full path. */
  public <T> T bind(String path, Class<T> type) {
    JsonNode n = path.isEmpty() ? root : at(path);
    return bind(n, path, type, source);
  }

  public static <T> T bind(JsonNode node, String path, Class<T> type, String source) {
    try {
      return BINDER.treeToValue(node, type);
    } catch (UnrecognizedPropertyException e) {
      String where = join(path, pathOf(e));
      String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
          .map(Object::toString).sorted().collect(Collectors.joining(", "));
      throw new UserException("config " + source + ": unknown key '" + where + "'"
          + (known.isEmpty() ? "" : " (known keys there: " + known + ")"));
    } catch (JsonMappingException e) {
      throw new UserException("config " + source + ": bad value at '" + join(path, pathOf(e))
          + "': " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new UserException("config " + source + ": " + firstLine(e.getMessage()));
    } catch (IllegalArgumentException e) {
      Throwable c = e.getCause() != null ? e.getCause() : e;
      throw new UserException("config " + source + ": bad value in '" + path + "': "
          + firstLine(c.getMessage()));
    }
  }

  /** The resolved config as YAML text, as a run folder stores it. */
  public String toYaml() {
    try {
      return YAML.writeValueAsString(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pathOf(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
  }

  private static String join(String a, String b) {
    if (a.isEmpty()) return b;
    return b.isEmpty() ? a : a + "." + b;
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
