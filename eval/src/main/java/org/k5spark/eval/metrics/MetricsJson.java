package org.k5spark.eval.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * JSON form of a result map: {@code name -> {"value": v|null, "estimator": e, "not_computed": reason?,
 * "details": {...}?}}; booleans stay booleans (dynamic_degree), "not computed" is a null value plus the reason.
 */
public final class MetricsJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private MetricsJson() {
  }

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static ObjectNode toJson(Map<String, MetricResult> results) {
    ObjectNode out = MAPPER.createObjectNode();
    for (MetricResult r : results.values()) {
      ObjectNode node = out.putObject(r.name());
      node.set("value", MAPPER.valueToTree(r.value()));
      node.put("estimator", r.estimator());
      if (!r.computed()) {
        node.put("not_computed", r.notComputedReason());
      }
      if (!r.details().isEmpty()) {
        node.set("details", MAPPER.valueToTree(r.details()));
      }
    }
    return out;
  }
}
