package dev.newsrec.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.newsrec.core.data.Entity;
import dev.newsrec.core.data.News;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Request bodies to records, strictly: a wrong type or an unknown key is an {@link ApiException}
 * naming the field by its JSON path, so a client sees which part of its request is wrong.
 */
final class Requests {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> RANK_KEYS = Set.of("history", "candidates", "k");
  private static final Set<String> NEWS_KEYS = Set.of("id", "title", "category", "subcategory", "entities");
  private static final Set<String> ENTITY_KEYS = Set.of("WikidataId", "Label", "Type", "Confidence",
      "OccurrenceOffsets", "SurfaceForms");

  private Requests() {}

  static JsonNode parse(byte[] body) {
    if (body.length == 0) throw ApiException.bad(null, "empty body; expected a JSON object");
    try {
      JsonNode n = JSON.readTree(body);
      if (n == null || n.isMissingNode()) throw ApiException.bad(null, "empty body; expected a JSON object");
      return n;
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      throw ApiException.bad(null, "malformed JSON" + (loc == null ? "" : " at line " + loc.getLineNr()
          + ", column " + loc.getColumnNr()) + ": " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw ApiException.bad(null, "cannot read the body: " + e.getMessage());
    }
  }

  static RankRequest rank(JsonNode body) {
    object(body, "(body)", RANK_KEYS);
    JsonNode c = body.get("candidates");
    if (c == null) throw ApiException.bad("candidates", "missing; expected a list of news ids or news");
    List<NewsRef> candidates = refs(c, "candidates");
    List<NewsRef> history = body.has("history") && !body.get("history").isNull() ? refs(body.get("history"), "history") : List.of();
    Integer k = null;
    if (body.has("k") && !body.get("k").isNull()) {
      JsonNode kn = body.get("k");
      if (!kn.isIntegralNumber() || !kn.canConvertToInt()) throw ApiException.bad("k", "expected an integer, found " + kn);
      k = kn.intValue();
    }
    return new RankRequest(history, candidates, k);
  }

  /** POST /v1/news: {"news": [news...]}. */
  static List<News> newsList(JsonNode body) {
    object(body, "(body)", Set.of("news"));
    JsonNode list = body.get("news");
    if (list == null || !list.isArray()) throw ApiException.bad("news", "expected a list of news");
    if (list.isEmpty()) throw ApiException.bad("news", "must hold at least one news");
    List<News> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) out.add(news(list.get(i), "news[" + i + "]"));
    return out;
  }

  private static List<NewsRef> refs(JsonNode list, String field) {
    if (!list.isArray()) throw ApiException.bad(field, "expected a list of news ids or news objects, found " + type(list));
    List<NewsRef> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      JsonNode x = list.get(i);
      String at = field + "[" + i + "]";
      if (x.isTextual()) {
        if (x.asText().isEmpty()) throw ApiException.bad(at, "empty news id");
        out.add(NewsRef.of(x.asText()));
      } else if (x.isObject()) {
        News n = news(x, at);
        out.add(new NewsRef(n.id(), n));
      } else {
        throw ApiException.bad(at, "expected a news id (string) or a news (object), found " + type(x));
      }
    }
    return out;
  }

  static News news(JsonNode x, String at) {
    object(x, at, NEWS_KEYS);
    String id = text(x, at, "id", true);
    if (id.isEmpty() || id.chars().anyMatch(ch -> ch < 0x20)) throw ApiException.bad(at + ".id", "expected a non-empty id without control characters");
    String title = text(x, at, "title", true);
    if (title.isBlank()) throw ApiException.bad(at + ".title", "empty title");
    List<Entity> entities = new ArrayList<>();
    JsonNode es = x.get("entities");
    if (es != null && !es.isNull()) {
      if (!es.isArray()) throw ApiException.bad(at + ".entities", "expected a list of entities, found " + type(es));
      for (int e = 0; e < es.size(); e++) entities.add(entity(es.get(e), at + ".entities[" + e + "]"));
    }
    return new News(id, text(x, at, "category", false), text(x, at, "subcategory", false), title, "", "",
        entities, List.of());
  }

  private static Entity entity(JsonNode e, String at) {
    object(e, at, ENTITY_KEYS);
    String wikidata = text(e, at, "WikidataId", true);
    if (wikidata.isEmpty()) throw ApiException.bad(at + ".WikidataId", "empty id");
    double confidence = 1;
    if (e.has("Confidence")) {
      if (!e.get("Confidence").isNumber()) throw ApiException.bad(at + ".Confidence", "expected a number");
      confidence = e.get("Confidence").doubleValue();
    }
    List<Integer> offsets = new ArrayList<>();
    if (e.has("OccurrenceOffsets")) {
      JsonNode o = e.get("OccurrenceOffsets");
      if (!o.isArray()) throw ApiException.bad(at + ".OccurrenceOffsets", "expected a list of integers");
      for (int i = 0; i < o.size(); i++) {
        if (!o.get(i).canConvertToInt() || !o.get(i).isIntegralNumber() || o.get(i).intValue() < 0) {
          throw ApiException.bad(at + ".OccurrenceOffsets[" + i + "]", "expected an offset >= 0");
        }
        offsets.add(o.get(i).intValue());
      }
    }
    List<String> forms = new ArrayList<>();
    if (e.has("SurfaceForms")) {
      JsonNode f = e.get("SurfaceForms");
      if (!f.isArray()) throw ApiException.bad(at + ".SurfaceForms", "expected a list of strings");
      for (int i = 0; i < f.size(); i++) {
        if (!f.get(i).isTextual()) throw ApiException.bad(at + ".SurfaceForms[" + i + "]", "expected a string");
        forms.add(f.get(i).asText());
      }
    }
    return new Entity(text(e, at, "Label", false), text(e, at, "Type", false), wikidata, confidence, offsets, forms);
  }

  private static void object(JsonNode n, String at, Set<String> keys) {
    if (!n.isObject()) throw ApiException.bad(at.equals("(body)") ? null : at, "expected a JSON object, found " + type(n));
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!keys.contains(k)) {
        throw ApiException.bad(at.equals("(body)") ? k : at + "." + k, "unknown key; known: " + String.join(", ", keys.stream().sorted().toList()));
      }
    }
  }

  private static String text(JsonNode n, String at, String key, boolean required) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      if (required) throw ApiException.bad(at + "." + key, "missing");
      return "";
    }
    if (!v.isTextual()) throw ApiException.bad(at + "." + key, "expected a string, found " + type(v));
    return v.asText();
  }

  private static String type(JsonNode n) {
    return switch (n.getNodeType()) {
      case ARRAY -> "a list";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number (" + n + ")";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> n.getNodeType().toString().toLowerCase();
    };
  }
}
