package dev.newsrec.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.newsrec.core.UserException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * An experiment config as a YAML tree: loaded from a file, overridden with {@code key=value}
 * pairs, then bound section by section to typed records. Unknown keys, wrong types, values out
 * of range and keys given twice are errors, all of a config's reported in one message.
 */
public final class ConfigTree {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  private final ObjectNode root;
  private final String source;

  private ConfigTree(ObjectNode root, String source) {
    this.root = root;
    this.source = source;
  }

  public static ConfigTree load(Path file) {
    if (!Files.isRegularFile(file)) throw new UserException("config " + file + ": no such file");
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw new UserException("config " + file + ": not UTF-8 text");
    } catch (IOException e) {
      throw new UserException("config " + file + ": cannot be read ("
          + (e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage()) + ")");
    }
    JsonNode n = read(text, file.toString());
    if (n == null || !n.isObject()) {
      throw new UserException("config " + file + ": expected a YAML mapping at the top level");
    }
    return new ConfigTree((ObjectNode) n, file.toString());
  }

  public static ConfigTree parse(String yaml, String source) {
    JsonNode n = read(yaml, source);
    return new ConfigTree(n != null && n.isObject() ? (ObjectNode) n
        : JsonNodeFactory.instance.objectNode(), source);
  }

  /**
   * Reads YAML text; a syntax error names its line and column, and a key given twice in one
   * section is an error naming both lines (YAML parsers silently keep the last).
   */
  private static JsonNode read(String text, String source) {
    if (text.startsWith("\uFEFF")) text = text.substring(1);
    ConfigProblems problems = new ConfigProblems();
    try (JsonParser p = YAML.getFactory().createParser(text)) {
      record Section(String path, boolean list, Map<String, Integer> lines) {}
      Deque<Section> open = new ArrayDeque<>();
      String field = "";
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        switch (t) {
          case START_OBJECT, START_ARRAY -> {
            Section up = open.peek();
            String path = up == null ? "" : up.list() ? up.path() + "[]" : ConfigProblems.join(up.path(), field);
            open.push(new Section(path, t == JsonToken.START_ARRAY, new HashMap<>()));
          }
          case END_OBJECT, END_ARRAY -> open.pop();
          case FIELD_NAME -> {
            field = p.currentName();
            int line = p.currentTokenLocation().getLineNr();
            Integer first = open.peek().lines().putIfAbsent(field, line);
            if (first != null) {
              problems.add("", "key '" + ConfigProblems.join(open.peek().path(), field)
                  + "' is given twice, at lines " + first + " and " + line + " (keep one)");
            }
          }
          default -> { }
        }
      }
    } catch (IOException e) {
      throw new UserException("config " + source + syntaxError(e));
    }
    problems.throwIfAny(source);
    try {
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new UserException("config " + source + syntaxError(e));
    }
  }

  /** ":LINE:COLUMN: not valid YAML: what the parser expected", from the parser's own mark. */
  private static String syntaxError(IOException e) {
    if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
      String context = m.getContext() == null || m.getContextMark() == null ? ""
          : " (" + m.getContext() + " at line " + (m.getContextMark().getLine() + 1) + ", column "
              + (m.getContextMark().getColumn() + 1) + ")";
      return ":" + (m.getProblemMark().getLine() + 1) + ":" + (m.getProblemMark().getColumn() + 1)
          + ": not valid YAML: " + m.getProblem() + context;
    }
    JsonLocation at = e instanceof JsonProcessingException j ? j.getLocation() : null;
    String msg = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    return (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr()) + ": not valid YAML: "
        + firstLine(msg);
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

  /**
   * Binds the whole tree (or a section of it) to a record: unknown keys, wrong types and values
   * out of range are one error listing every problem with its full key.
   */
  public <T> T bind(String path, Class<T> type) {
    JsonNode n = path.isEmpty() ? root : at(path);
    return bind(n, path, type, source);
  }

  public static <T> T bind(JsonNode node, String path, Class<T> type, String source) {
    ConfigProblems problems = new ConfigProblems();
    T value = RecordBinder.bind(node, path, type, problems);
    problems.throwIfAny(source);
    return value;
  }

  /**
   * Binds the experiment and its model's options and reports every problem of both at once, before
   * any data is read.
   *
   * @param optionsType the options record of a {@code model.type} (a user error when unknown)
   * @param folders also check that the folders the config reads (data splits, a PLM folder) exist
   *     and can be read; off where a config is only listed, e.g. one written for another machine
   */
  public ExperimentConfig bindExperiment(Function<String, Class<?>> optionsType, boolean folders) {
    return bindExperiment(optionsType, type -> java.util.Map.of(), folders);
  }

  /**
   * As {@link #bindExperiment(Function, boolean)}, also binding each {@code pretraining:} entry to
   * its stage's options record (stageTypes: the model type's stages by name).
   */
  public ExperimentConfig bindExperiment(Function<String, Class<?>> optionsType,
      Function<String, java.util.Map<String, Class<?>>> stageTypes, boolean folders) {
    ConfigProblems problems = new ConfigProblems();
    ExperimentConfig config = RecordBinder.bind(root, "", ExperimentConfig.class, problems);
    JsonNode model = root.get("model");
    Object options = null;
    if (model != null && model.isObject() && model.path("type").isTextual()) {
      Class<?> type = null;
      try {
        type = optionsType.apply(model.get("type").asText());
      } catch (UserException e) {
        problems.add("", e.getMessage());
      }
      if (type != null) {
        ObjectNode rest = model.deepCopy();
        rest.remove("type");
        options = RecordBinder.bind(rest, "model", type, problems);
      }
    }
    java.util.List<Object> stages = new java.util.ArrayList<>();
    if (config != null && model != null && !config.stages().isEmpty()) {
      java.util.Map<String, Class<?>> offered = null;
      try {
        offered = stageTypes.apply(config.modelType());
      } catch (UserException e) {
        // the unknown model type is reported above; its stages cannot be checked
      }
      java.util.List<JsonNode> entries = offered == null ? java.util.List.of() : config.stages();
      for (int i = 0; i < entries.size(); i++) {
        String name = entries.get(i).get("stage").asText();
        String key = "pretraining[" + i + "]";
        Class<?> type = offered.get(name);
        if (type == null) {
          problems.add(key + ".stage", "found '" + name + "', allowed " + (offered.isEmpty()
              ? "none: model " + config.modelType() + " has no pre-training stages"
              : "a stage of model " + config.modelType() + ": " + String.join(", ", new java.util.TreeSet<>(offered.keySet()))));
        } else {
          stages.add(RecordBinder.bind(entries.get(i), key, type, problems));
        }
      }
    }
    if (folders) {
      DataConfig data = config != null ? config.data()
          : RecordBinder.bind(root.get("data"), "data", DataConfig.class, new ConfigProblems());
      if (data != null) data.checkFolders(problems.at("data"));
      if (options instanceof ReadsFolders r) r.checkFolders(problems.at("model"));
      for (int i = 0; i < stages.size(); i++) {
        if (stages.get(i) instanceof ReadsFolders r) r.checkFolders(problems.at("pretraining[" + i + "]"));
      }
      JsonNode init = root.get("init_from");
      if (init != null && init.isTextual()) problems.readableFolder("init_from", init.asText());
    }
    problems.throwIfAny(source);
    return config;
  }

  /** The resolved config as YAML text, as a run folder stores it. */
  public String toYaml() {
    try {
      return YAML.writeValueAsString(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
