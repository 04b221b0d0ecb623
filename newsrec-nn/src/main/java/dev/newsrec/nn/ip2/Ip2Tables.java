package dev.newsrec.nn.ip2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.newsrec.core.UserException;
import dev.newsrec.core.io.AtomicFiles;
import dev.newsrec.nn.model.NewsInputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The strings behind the SEE's memory rows: the training corpus's WikidataIds, categories and
 * subcategories. Row 0 of each table is its unknown row, so news of another corpus (dev, test,
 * news added while serving) are looked up by string and never by the other corpus's indices.
 */
public final class Ip2Tables {
  /** The file next to the model's weights. */
  public static final String FILE = "ip2_tables.json";
  public static final int UNKNOWN = 0;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> entities;
  private final List<String> categories;
  private final List<String> subcategories;
  private final Map<String, Integer> entityRows;
  private final Map<String, Integer> categoryRows;
  private final Map<String, Integer> subcategoryRows;

  public Ip2Tables(List<String> entities, List<String> categories, List<String> subcategories) {
    this.entities = List.copyOf(entities);
    this.categories = List.copyOf(categories);
    this.subcategories = List.copyOf(subcategories);
    this.entityRows = rows(this.entities);
    this.categoryRows = rows(this.categories);
    this.subcategoryRows = rows(this.subcategories);
  }

  /** The tables of a training corpus. */
  public static Ip2Tables of(NewsInputs inputs) {
    return new Ip2Tables(inputs.entityIds(), inputs.categoryNames(), inputs.subcategoryNames());
  }

  private static Map<String, Integer> rows(List<String> keys) {
    Map<String, Integer> out = new HashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      if (out.putIfAbsent(keys.get(i), i + 1) != null) {
        throw new IllegalArgumentException("duplicate key " + keys.get(i));
      }
    }
    return out;
  }

  /** Memory rows: the unknown row and one per known entity. */
  public int entityRowCount() { return entities.size() + 1; }

  public int categoryRowCount() { return categories.size() + 1; }

  public int subcategoryRowCount() { return subcategories.size() + 1; }

  public List<String> entities() { return entities; }

  public int entityRow(String wikidataId) { return entityRows.getOrDefault(wikidataId, UNKNOWN); }

  public int categoryRow(String name) { return categoryRows.getOrDefault(name, UNKNOWN); }

  public int subcategoryRow(String name) { return subcategoryRows.getOrDefault(name, UNKNOWN); }

  /** Writes the tables into a model folder (atomically). */
  public void write(Path dir) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", "newsrec ip2 tables 1");
    array(root.putArray("entities"), entities);
    array(root.putArray("categories"), categories);
    array(root.putArray("subcategories"), subcategories);
    try {
      AtomicFiles.writeString(dir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + dir.resolve(FILE), e);
    }
  }

  private static void array(ArrayNode out, List<String> values) {
    for (String v : values) out.add(v);
  }

  /** Reads what {@link #write} wrote. */
  public static Ip2Tables read(Path dir) {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new UserException(file + ": missing (an IP2 model folder holds its entity and category tables there)");
    }
    try {
      JsonNode root = JSON.readTree(file.toFile());
      return new Ip2Tables(strings(root, "entities", file), strings(root, "categories", file),
          strings(root, "subcategories", file));
    } catch (IOException | IllegalArgumentException e) {
      throw new UserException(file + ": cannot read: " + e.getMessage());
    }
  }

  private static List<String> strings(JsonNode root, String field, Path file) {
    JsonNode a = root.get(field);
    if (a == null || !a.isArray()) throw new UserException(file + ": field '" + field + "' missing or not a list");
    List<String> out = new ArrayList<>(a.size());
    for (JsonNode v : a) out.add(v.asText());
    return out;
  }
}
