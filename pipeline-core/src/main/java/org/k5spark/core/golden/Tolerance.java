package org.k5spark.core.golden;

import com.fasterxml.jackson.databind.JsonNode;

/** numpy allclose rule: |actual - expected| <= atol + rtol * |expected|. */
public record Tolerance(double atol, double rtol) {
  static Tolerance parse(JsonNode n, Tolerance fallback) {
    if (n == null || !n.isObject()) {
      return fallback;
    }
    return new Tolerance(n.path("atol").asDouble(fallback.atol()), n.path("rtol").asDouble(fallback.rtol()));
  }
}
