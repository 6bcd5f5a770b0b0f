package org.k5spark.jobs.evaluate;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.k5spark.eval.compare.MetricsCsv;
import org.k5spark.jobs.generate.Manifest;

/**
 * A generation run's manifest as evaluation input: one {@link EvalItem} per distinct (prompt_id, sample) (rejected
 * rows have none and are not videos; manifests older than the sample column are sample 0), plus the run-level configuration (model variant, checkpoint digest,
 * steps, ...) taken from the generated rows. Reads {@code manifest.csv}, or {@code manifest.parquet}
 * when the CSV copy is absent.
 */
public record ManifestInput(List<EvalItem> items, Map<String, String> runConfig) {
  /** Manifest columns that describe the run (equal on every generated row); they become config.* columns. */
  static final List<String> CONFIG_COLUMNS = List.of("model_variant", "checkpoint_digest", "config_digest", "width",
      "height", "frames", "fps", "steps", "guidance", "magcache");
  /** Stages whose time is model compute (GPU time on a GPU executor). */
  static final List<String> COMPUTE_STAGES = List.of("text_encode", "denoise", "decode");

  public static ManifestInput read(SparkSession spark, EvalLayout layout, Configuration conf) throws IOException {
    FileSystem fs = layout.run().getFileSystem(conf);
    List<Map<String, Object>> rows = new ArrayList<>();
    if (fs.exists(layout.manifestCsv())) {
      try (InputStream in = fs.open(layout.manifestCsv());
          CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
              .parse(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        if (!p.getHeaderNames().contains("prompt_id") || !p.getHeaderNames().contains("status")) {
          throw new IOException(layout.manifestCsv() + ": not a generation manifest (needs prompt_id and status; header "
              + p.getHeaderNames() + ")");
        }
        for (CSVRecord r : p) {
          Map<String, Object> m = new LinkedHashMap<>();
          for (String h : p.getHeaderNames()) {
            String v = r.isSet(h) ? r.get(h) : null;
            m.put(h, v == null || v.isEmpty() ? null : v);
          }
          rows.add(m);
        }
      }
    } else if (fs.exists(layout.manifestParquet())) {
      for (Row r : spark.read().parquet(layout.manifestParquet().toString()).collectAsList()) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String h : r.schema().fieldNames()) {
          int i = r.fieldIndex(h);
          Object v = r.isNullAt(i) ? null : r.get(i);
          if (v instanceof scala.collection.Seq<?>) {
            v = String.join(",", r.<Object>getList(i).stream().map(String::valueOf).toList());
          }
          m.put(h, v == null ? null : String.valueOf(v));
        }
        rows.add(m);
      }
    } else {
      throw new IOException("no manifest in " + layout.run() + " (expected manifest.csv or manifest.parquet written by"
          + " k5 generate)");
    }
    ManifestInput m = fromRows(rows, layout.manifestCsv().toString());
    Map<String, String> config = new LinkedHashMap<>(m.runConfig());
    config.putAll(runCard(fs, new org.apache.hadoop.fs.Path(layout.run(), "run.json")));
    return new ManifestInput(m.items(), config);
  }

  /**
   * run.json's {@code protocol} object (the generate job's run card) as {@code protocol.<key>} entries, which
   * become the metrics table's {@code config.protocol.*} columns; empty for runs from before the run card.
   */
  static Map<String, String> runCard(FileSystem fs, org.apache.hadoop.fs.Path runJson) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    if (!fs.exists(runJson)) {
      return out;
    }
    com.fasterxml.jackson.databind.JsonNode root;
    try (InputStream in = fs.open(runJson)) {
      root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException(runJson + ": not JSON (" + e.getOriginalMessage() + ")", e);
    }
    com.fasterxml.jackson.databind.JsonNode card = root.path("protocol");
    card.fields().forEachRemaining(e -> out.put(org.k5spark.eval.compare.Protocol.PREFIX + e.getKey(),
        e.getValue().isNull() ? "" : e.getValue().asText()));
    return out;
  }

  static ManifestInput fromRows(List<Map<String, Object>> rows, String source) throws IOException {
    Map<String, EvalItem> items = new LinkedHashMap<>();
    Map<String, String> config = new LinkedHashMap<>();
    int line = 1;
    for (Map<String, Object> r : rows) {
      line++;
      String id = str(r, "prompt_id");
      if (id == null) {
        continue; // a rejected input row: no prompt_id, no video
      }
      if (!id.matches("[A-Za-z0-9._-]{1,128}") || id.startsWith(".")) {
        throw new IOException(source + " row " + line + ": prompt_id '" + id + "' is not a safe file name");
      }
      String status = str(r, "status");
      if ("ok".equals(status) && config.isEmpty()) {
        for (String c : CONFIG_COLUMNS) {
          String v = str(r, c);
          if (v != null) {
            config.put(c, v);
          }
        }
      }
      int sample = parseSample(str(r, "sample"), source, line);
      items.putIfAbsent(org.k5spark.jobs.generate.PromptSample.sampleId(id, sample), new EvalItem(id, sample,
          str(r, "prompt"), MetricsCsv.splitConcepts(str(r, "concepts")),
          str(r, "motion_level"), parseLong(str(r, "seed"), source, line), status, str(r, "error"), str(r, "video_path"),
          str(r, "video_sha256"), gpuSeconds(r, source, line)));
    }
    return new ManifestInput(List.copyOf(items.values()), config);
  }

  private static Double gpuSeconds(Map<String, Object> r, String source, int line) throws IOException {
    double ms = 0;
    boolean any = false;
    for (String stage : COMPUTE_STAGES) {
      String v = str(r, stage + "_ms");
      if (v != null) {
        try {
          ms += Double.parseDouble(v);
          any = true;
        } catch (NumberFormatException e) {
          throw new IOException(source + " row " + line + ": column " + stage + "_ms is not a number: '" + v + "'", e);
        }
      }
    }
    return any ? ms / 1000.0 : null;
  }

  private static int parseSample(String s, String source, int line) throws IOException {
    try {
      int k = s == null ? 0 : Integer.parseInt(s.trim());
      if (k < 0) {
        throw new NumberFormatException();
      }
      return k;
    } catch (NumberFormatException e) {
      throw new IOException(source + " row " + line + ": column sample is not a non-negative integer: '" + s + "'", e);
    }
  }

  private static Long parseLong(String s, String source, int line) throws IOException {
    try {
      return s == null ? null : Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw new IOException(source + " row " + line + ": column seed is not an integer: '" + s + "'", e);
    }
  }

  private static String str(Map<String, Object> r, String k) {
    Object v = r.get(k);
    return v == null || String.valueOf(v).isEmpty() ? null : String.valueOf(v);
  }

  /** Every manifest column this reader understands exists in the generate job's manifest. */
  static boolean matchesManifest() {
    return Manifest.columnNames().containsAll(CONFIG_COLUMNS) && Manifest.columnNames().contains("video_path");
  }
}
