package dev.newsrec.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.newsrec.core.UserException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Binds a YAML tree to config records (snake_case keys to camelCase components) and collects every
 * problem instead of stopping at the first: unknown keys, wrong types (an integer option given 3.5
 * is an error, not 3) and the records' own range checks. A value that fails is passed to its
 * record as null (its default), so the other checks still run. Jackson's data binding would stop
 * at the first problem and word it in Java terms.
 */
final class RecordBinder {
  private static final Object FAILED = new Object();
  private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");
  private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
  private static final ObjectMapper OTHER = new ObjectMapper();

  private final ConfigProblems problems;

  private RecordBinder(ConfigProblems problems) { this.problems = problems; }

  /** The bound record, or null when it has problems (then they are in {@code problems}). */
  static <T> T bind(JsonNode node, String path, Class<T> type, ConfigProblems problems) {
    int before = problems.problems().size();
    Object v = new RecordBinder(problems).record(node == null || node.isNull() ? OTHER.createObjectNode()
        : node, path, type);
    return v == FAILED || problems.problems().size() > before ? null : type.cast(v);
  }

  private Object record(JsonNode n, String key, Class<?> type) {
    if (!n.isObject()) {
      problems.add(key, "expected a section of key: value lines, found " + describe(n));
      return FAILED;
    }
    RecordComponent[] parts = type.getRecordComponents();
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < parts.length; i++) index.put(snake(parts[i].getName()), i);
    Map<String, String> moved = new LinkedHashMap<>();
    MovedKeys m = type.getAnnotation(MovedKeys.class);
    if (m != null) {
      for (String pair : m.value()) moved.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (moved.containsKey(name)) {
        problems.add("", "key '" + ConfigProblems.join(key, name) + "' has moved: write it as '"
            + moved.get(name) + "'");
      } else if (!index.containsKey(name)) {
        String known = String.join(", ", new TreeSet<>(index.keySet()));
        problems.add("", "unknown key '" + ConfigProblems.join(key, name) + "'"
            + (known.isEmpty() ? " (no keys are known there)" : " (known keys there: " + known + ")"));
      }
    }
    Object[] args = new Object[parts.length];
    Class<?>[] types = new Class<?>[parts.length];
    Set<String> failed = new HashSet<>();
    for (Map.Entry<String, Integer> e : index.entrySet()) {
      RecordComponent c = parts[e.getValue()];
      types[e.getValue()] = c.getType();
      Object v = value(n.get(e.getKey()), ConfigProblems.join(key, e.getKey()), c.getGenericType());
      if (v == FAILED) {
        failed.add(e.getKey());
        v = null;
      }
      if (v == null && c.getType().isPrimitive()) {
        if (!failed.contains(e.getKey())) problems.add(ConfigProblems.join(key, e.getKey()), "required");
        return FAILED;
      }
      args[e.getValue()] = v;
    }
    try {
      Constructor<?> ctor = type.getDeclaredConstructor(types);
      ctor.setAccessible(true);
      return ctor.newInstance(args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ConfigProblems.Invalid invalid) {
        for (ConfigProblems.Problem p : invalid.problems()) {
          // A value already reported as wrong was replaced by its default: no second complaint.
          if (!failed.contains(p.key().split("\\.")[0])) problems.at(key).add(p.key(), p.message());
        }
      } else if (cause instanceof IllegalArgumentException || cause instanceof UserException) {
        problems.add(key, cause.getMessage());
      } else if (cause instanceof RuntimeException r) {
        throw r;
      } else {
        throw new IllegalStateException(cause);
      }
      return FAILED;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build config record " + type.getSimpleName(), e);
    }
  }

  private Object value(JsonNode n, String key, Type type) {
    if (type == JsonNode.class) return n;
    if (n == null || n.isNull() || n.isMissingNode()) return null;
    if (type == String.class) {
      if (n.isValueNode()) return n.asText();
      return fail(key, "expected a text value", n);
    }
    if (type == Integer.class || type == int.class) {
      Long v = integer(n);
      if (v == null) return fail(key, "expected an integer", n);
      if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) return fail(key, "expected an integer up to " + Integer.MAX_VALUE, n);
      return v.intValue();
    }
    if (type == Long.class || type == long.class) {
      Long v = integer(n);
      return v != null ? v : fail(key, "expected an integer", n);
    }
    if (type == Double.class || type == double.class) {
      if (n.isNumber()) return n.doubleValue();
      if (n.isTextual() && DECIMAL.matcher(n.asText().trim()).matches()) return Double.parseDouble(n.asText().trim());
      return fail(key, "expected a number", n);
    }
    if (type == Boolean.class || type == boolean.class) {
      if (n.isBoolean()) return n.booleanValue();
      if (n.isTextual() && (n.asText().equalsIgnoreCase("true") || n.asText().equalsIgnoreCase("false"))) {
        return Boolean.parseBoolean(n.asText());
      }
      return fail(key, "expected true or false", n);
    }
    if (type instanceof Class<?> c && c.isRecord()) return record(n, key, c);
    // Lists, maps and the like: Jackson binds them; its message would name Java types.
    try {
      return OTHER.treeToValue(n, OTHER.getTypeFactory().constructType(type));
    } catch (Exception e) {
      return fail(key, "not a valid value", n);
    }
  }

  /** An integral number, also written as text ("32"); null for 3.5, "abc" or one beyond 64 bits. */
  private static Long integer(JsonNode n) {
    if (n.isIntegralNumber()) return n.canConvertToLong() ? n.longValue() : null;
    if (n.isTextual() && INTEGER.matcher(n.asText().trim()).matches()) {
      try {
        return Long.parseLong(n.asText().trim().replace("+", ""));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private Object fail(String key, String expected, JsonNode found) {
    problems.add(key, expected + ", found " + describe(found));
    return FAILED;
  }

  private static String describe(JsonNode n) {
    if (n.isObject()) return "a section (key: value lines)";
    if (n.isArray()) return "a list";
    if (n.isFloatingPointNumber()) {
      String s = ConfigProblems.number(n.doubleValue());
      return "'" + (s.matches("-?\\d+") ? s + ".0" : s) + "'";
    }
    return "'" + n.asText() + "'";
  }

  /** maxTrainImpressions -> max_train_impressions, as the config files spell keys. */
  static String snake(String camel) {
    StringBuilder sb = new StringBuilder();
    for (char ch : camel.toCharArray()) {
      if (Character.isUpperCase(ch)) sb.append('_').append(Character.toLowerCase(ch));
      else sb.append(ch);
    }
    return sb.toString();
  }
}
