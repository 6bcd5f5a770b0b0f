package org.k5spark.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A position in a parsed YAML/JSON tree that remembers its dotted path and source file, so that every
 * missing or malformed field is reported as "source: field 'a.b.c' ...".
 */
public record ConfigNode(JsonNode node, String path, String source) {
  public static ConfigNode root(JsonNode node, String source) {
    if (node == null || !node.isObject()) {
      throw new ConfigException(source + ": expected a mapping at the top level");
    }
    return new ConfigNode(node, "", source);
  }

  private String at(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  public boolean has(String name) {
    JsonNode n = node.get(name);
    return n != null && !n.isNull();
  }

  public ConfigNode child(String name) {
    JsonNode n = node.get(name);
    if (n == null || n.isNull()) {
      throw fail(name, "is missing");
    }
    if (!n.isObject()) {
      throw fail(name, "must be a mapping, got " + n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)
          + " '" + n.asText() + "'");
    }
    return new ConfigNode(n, at(name), source);
  }

  /**
   * Fails on the first key of this mapping that is not in {@code known}, naming its dotted path and the nearest
   * known key: a misspelt key ({@code guidance_weigth}) would otherwise be ignored and its default used.
   */
  public ConfigNode allowOnly(String... known) {
    List<String> allowed = Arrays.asList(known);
    for (var it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw new ConfigException(UnknownKeys.message(source, at(key), allowed.stream().map(this::at).toList()));
      }
    }
    return this;
  }

  public ConfigException fail(String name, String what) {
    return new ConfigException(source + ": field '" + at(name) + "' " + what);
  }

  private JsonNode required(String name) {
    JsonNode n = node.get(name);
    if (n == null || n.isNull()) {
      throw fail(name, "is missing");
    }
    return n;
  }

  public int integer(String name) {
    JsonNode n = required(name);
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw fail(name, "must be an integer, got '" + n.asText() + "'");
    }
    return n.intValue();
  }

  public int positiveInt(String name) {
    int v = integer(name);
    if (v <= 0) {
      throw fail(name, "must be > 0, got " + v);
    }
    return v;
  }

  public double number(String name) {
    JsonNode n = required(name);
    if (!n.isNumber()) {
      throw fail(name, "must be a number, got '" + n.asText() + "'");
    }
    return n.doubleValue();
  }

  public double number(String name, double fallback) {
    return has(name) ? number(name) : fallback;
  }

  public boolean bool(String name) {
    JsonNode n = required(name);
    if (!n.isBoolean()) {
      throw fail(name, "must be true or false, got '" + n.asText() + "'");
    }
    return n.booleanValue();
  }

  public String string(String name) {
    JsonNode n = required(name);
    if (!n.isTextual() || n.asText().isBlank()) {
      throw fail(name, "must be a non-empty string, got '" + n.asText() + "'");
    }
    return n.asText();
  }

  public int[] ints(String name, int expectedSize) {
    JsonNode n = required(name);
    if (!n.isArray() || (expectedSize > 0 && n.size() != expectedSize)) {
      throw fail(name, "must be a list of " + (expectedSize > 0 ? expectedSize + " " : "") + "integers, got " + n);
    }
    int[] out = new int[n.size()];
    for (int i = 0; i < out.length; i++) {
      if (!n.get(i).isIntegralNumber()) {
        throw fail(name, "must be a list of integers, got " + n);
      }
      out[i] = n.get(i).intValue();
    }
    return out;
  }

  public double[] numbers(String name, int expectedSize) {
    JsonNode n = required(name);
    if (!n.isArray() || (expectedSize > 0 && n.size() != expectedSize)) {
      throw fail(name, "must be a list of " + (expectedSize > 0 ? expectedSize + " " : "") + "numbers, got " + n);
    }
    double[] out = new double[n.size()];
    for (int i = 0; i < out.length; i++) {
      if (!n.get(i).isNumber()) {
        throw fail(name, "must be a list of numbers, got " + n);
      }
      out[i] = n.get(i).doubleValue();
    }
    return out;
  }

  /** A list of [a, b] integer pairs, e.g. resolutions. */
  public List<int[]> intPairs(String name) {
    JsonNode n = required(name);
    if (!n.isArray() || n.isEmpty()) {
      throw fail(name, "must be a non-empty list of [height, width] pairs, got " + n);
    }
    List<int[]> out = new ArrayList<>();
    for (JsonNode p : n) {
      if (!p.isArray() || p.size() != 2 || !p.get(0).isIntegralNumber() || !p.get(1).isIntegralNumber()
          || p.get(0).intValue() <= 0 || p.get(1).intValue() <= 0) {
        throw fail(name, "must be a list of [height, width] positive integer pairs, got entry " + p);
      }
      out.add(new int[] {p.get(0).intValue(), p.get(1).intValue()});
    }
    return out;
  }
}
