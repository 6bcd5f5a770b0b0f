package org.k5spark.benchmark.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.k5spark.benchmark.DitFlops;

/**
 * Turns JMH's JSON result (-rf json) into a Markdown table with the derived unit each benchmark is about:
 * GB/s for safetensors loads, frames/s for MP4 encodes, GFLOP/s for attention (dense score+value matmuls)
 * and for the DiT block/step ({@link DitFlops} at the fixture's shape).
 */
public final class JmhSummary {
  private JmhSummary() {}

  public static void main(String[] args) throws IOException {
    JsonNode root = new ObjectMapper().readTree(Path.of(args[0]).toFile());
    System.out.println(String.join("\n", table(root)));
  }

  public static List<String> table(JsonNode results) {
    List<String> rows = new ArrayList<>();
    rows.add("| benchmark | params | ms/op | ± (99.9 %) | derived |");
    rows.add("|---|---|---:|---:|---|");
    for (JsonNode r : results) {
      String name = r.get("benchmark").asText();
      String shortName = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
      StringBuilder params = new StringBuilder();
      JsonNode p = r.path("params");
      for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        params.append(params.length() == 0 ? "" : ", ").append(e.getKey()).append('=').append(e.getValue().asText());
      }
      JsonNode m = r.get("primaryMetric");
      double ms = m.get("score").asDouble();
      double err = m.path("scoreError").asDouble(Double.NaN);
      String errCell = Double.isNaN(err) ? "–" : String.format(Locale.ROOT, "%.2f", err);
      rows.add(String.format(Locale.ROOT, "| %s | %s | %.2f | %s | %s |", shortName, params, ms, errCell,
          derived(shortName, p, ms)));
    }
    return rows;
  }

  /** The throughput figure each benchmark is read in, from its ms/op and parameters. */
  static String derived(String name, JsonNode params, double msPerOp) {
    double s = msPerOp / 1000;
    if (name.startsWith("SafetensorsLoadBenchmark")) {
      return String.format(Locale.ROOT, "%.2f GB/s", SafetensorsLoadBenchmark.FILE_MB / 1000.0 / s);
    }
    if (name.startsWith("Mp4EncodeBenchmark")) {
      return String.format(Locale.ROOT, "%.1f frames/s", Mp4EncodeBenchmark.FRAMES / s);
    }
    if (name.startsWith("DitStepBenchmark") || name.startsWith("DitBlockBenchmark")) {
      boolean step = name.startsWith("DitStepBenchmark");
      String shape = step ? params.path("shape").asText() : "mid";
      var p = step ? DitFixture.params(shape, -1, -1) : DitFixture.params("mid", 0, 1);
      long tokens = DitFlops.visualTokens(DitFixture.latent(shape), p.patchSize());
      // a guided step is two forwards (prompt, negative prompt) of the same text length here
      double flops = (step ? 2 : 1) * DitFlops.of(p).forward(tokens, DitFixture.textTokens(shape), 1.0).total();
      return String.format(Locale.ROOT, "%.1f GFLOP/s (DitFlops)", flops / s / 1e9);
    }
    if (name.startsWith("AttentionBenchmark")) {
      double l = params.path("seqLen").asDouble();
      double flops = 2 * 2 * l * l * AttentionBenchmark.HEADS * AttentionBenchmark.HEAD_DIM;
      return String.format(Locale.ROOT, "%.1f GFLOP/s", flops / s / 1e9);
    }
    return "";
  }
}
