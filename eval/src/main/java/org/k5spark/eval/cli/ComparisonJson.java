package org.k5spark.eval.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
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
import org.k5spark.core.io.AtomicFiles;
import org.k5spark.eval.report.Redactor;

/** Machine-readable outputs of {@code k5 compare}: comparison.json and a flat rows CSV. */
final class ComparisonJson {
  private ComparisonJson() {
  }

  static void writeJson(Comparison c, Path file) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
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
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    AtomicFiles.writeAtomically(file, json.writeValueAsString(root));
  }

  static void writeRowsCsv(Comparison c, Path file) throws IOException {
    AtomicFiles.write(file, w -> {
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
    });
  }
}
