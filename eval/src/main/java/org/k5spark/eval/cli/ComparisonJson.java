package org.k5spark.eval.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.k5spark.eval.compare.Comparison;
import org.k5spark.eval.compare.MetricRow;
import org.k5spark.eval.compare.PairComparison;
import org.k5spark.eval.compare.RunTable;
import org.k5spark.eval.report.Redactor;

/**
 * Machine-readable outputs of {@code k5 compare}: comparison.json and a flat rows CSV. comparison.json carries
 * {@code inputs_sha256}, a digest of everything the statistics depend on (the runs' CSV bytes and labels, votes,
 * key, policy overrides, bootstrap settings), so {@code k5 report} can reuse its rows instead of recomputing
 * them when the digest matches its own inputs.
 */
final class ComparisonJson {
  static final String DIGEST = "inputs_sha256";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ComparisonJson() {
  }

  static String json(Comparison c, String inputsDigest) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put(DIGEST, inputsDigest);
    List<Map<String, Object>> runs = new ArrayList<>();
    for (RunTable r : c.runs()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("run_id", r.runId());
      m.put("config", Redactor.config(r.config()));
      m.put("videos", r.videos().size());
      m.put("failed", r.videos().stream().filter(v -> !v.ok()).count());
      m.put("gpu_seconds_per_video", r.gpuSecondsPerVideo());
      runs.add(m);
    }
    root.put("runs", runs);
    root.put("protocol_mismatch", org.k5spark.eval.compare.Protocol.differences(c.runs()).stream()
        .map(org.k5spark.eval.compare.Protocol.Difference::key).toList());
    root.put("bootstrap", Map.of("resamples", c.bootstrapResamples(), "seed", c.seed(), "level", c.level()));
    root.put("partial_prompts", c.partialPrompts());
    root.put("failed_videos", c.failedVideos().stream().map(v -> Map.of("run_id", v.runId(), "prompt_id", v.promptId(),
        "status", v.status())).toList());
    List<Map<String, Object>> pairs = new ArrayList<>();
    for (PairComparison pc : c.pairs()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("run_a", pc.runA());
      m.put("run_b", pc.runB());
      m.put("paired_prompts", pc.prompts().size());
      m.put("only_in_a", pc.onlyInA());
      m.put("only_in_b", pc.onlyInB());
      m.put("votes", pc.votes());
      m.put("rows", pc.rows());
      pairs.add(m);
    }
    root.put("pairs", pairs);
    return JSON.writeValueAsString(root);
  }

  /**
   * The rows of each pair ("A\u0000B" -> rows) that {@code saved} (comparison.json's text) holds, when it was
   * computed from inputs with digest {@code inputsDigest}; null when it was not (other inputs, older format).
   */
  static Map<String, List<MetricRow>> savedRows(String saved, String inputsDigest, String source) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(saved);
    } catch (IOException e) {
      throw new IOException(source + ": not a comparison.json (" + e.getMessage().lines().findFirst().orElse("") + ")");
    }
    if (!inputsDigest.equals(root.path(DIGEST).asText(null))) {
      return null;
    }
    Map<String, List<MetricRow>> out = new LinkedHashMap<>();
    for (JsonNode pair : root.path("pairs")) {
      out.put(pair.path("run_a").asText() + '\u0000' + pair.path("run_b").asText(),
          JSON.convertValue(pair.path("rows"), new TypeReference<List<MetricRow>>() {}));
    }
    return out;
  }

  static String rowsCsv(Comparison c) throws IOException {
    java.io.StringWriter w = new java.io.StringWriter();
    try (CSVPrinter out = new CSVPrinter(w, CSVFormat.RFC4180.builder().setHeader("run_a", "run_b", "name", "source",
          "group_kind", "group", "direction", "n", "missing", "wins", "ties", "losses", "win_rate", "win_rate_lo",
          "win_rate_hi", "mean_a", "mean_b", "mean_diff", "mean_diff_lo", "mean_diff_hi", "p_wilcoxon", "p_sign",
          "p_permutation").build())) {
        for (PairComparison pc : c.pairs()) {
          for (MetricRow r : pc.rows()) {
            out.printRecord(pc.runA(), pc.runB(), r.name(), r.source(), r.group().kind(), r.group().label(),
                r.direction(), r.n(), r.missing(), r.wtl().wins(), r.wtl().ties(), r.wtl().losses(),
                r.winRate().estimate(), r.winRate().lower(), r.winRate().upper(), r.meanA().estimate(),
                r.meanB().estimate(), r.meanDiff().estimate(), r.meanDiff().lower(), r.meanDiff().upper(),
                r.wilcoxonP(), r.signP(), r.permutationP());
          }
        }
    }
    return w.toString();
  }
}
