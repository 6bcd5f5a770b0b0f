package org.k5spark.eval.compare;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.k5spark.core.io.AtomicFiles;

/**
 * The per-video metrics CSV: the contract between the Spark EvaluateVideos job (writer) and
 * compare/report (reader). RFC-4180, UTF-8, one header row, one row per video:
 *
 * <pre>
 * run_id        optional; the run label (a caller-given label wins over it)
 * prompt_id     required, non-empty; the pairing key across runs
 * sample        optional; 0-based sample index of the prompt (--samples-per-prompt); empty or absent = 0
 * prompt        prompt text as generated (any characters; quoted as needed)
 * concept       concept labels joined with ", " (MovieGen spelling, e.g. "human - activity, scene")
 * motion_level  low | medium | high | empty
 * seed          integer or empty
 * status        "ok" or a failure word (failed, timeout, ...); empty = ok
 * video_path    path or URI of the MP4
 * gpu_seconds   GPU time spent generating this video, or empty
 * metric.NAME   one column per metric; empty, "NaN" or "null" = not computed (e.g. no weights);
 *               booleans (dynamic_degree) as 0/1 or true/false
 * config.KEY    optional run configuration (checkpoint, steps, ...); must be equal on every row
 * </pre>
 *
 * Unknown other columns are ignored. Concept labels are split on commas and trimmed; MovieGen labels
 * contain " - " but never a comma.
 */
public final class MetricsCsv {
  public static final String METRIC_PREFIX = "metric.";
  public static final String CONFIG_PREFIX = "config.";
  public static final List<String> FIXED = List.of("run_id", "prompt_id", "sample", "prompt", "concept", "motion_level", "seed",
      "status", "video_path", "gpu_seconds");

  private MetricsCsv() {
  }

  /** Reads a metrics CSV; {@code runId} names the run (null: take it from the run_id column). */
  public static RunTable read(Path file, String runId) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(r, file.toString(), runId);
    }
  }

  public static RunTable read(Reader in, String source, String runId) throws IOException {
    CSVFormat fmt = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build();
    try (CSVParser p = CSVParser.parse(in, fmt)) {
      List<String> header = p.getHeaderNames();
      if (!header.contains("prompt_id")) {
        throw new IOException(source + ": missing required column prompt_id (header: " + header + ")");
      }
      List<VideoScore> videos = new ArrayList<>();
      Map<String, String> config = null;
      String fileRunId = null;
      for (CSVRecord rec : p) {
        String line = source + " line " + p.getCurrentLineNumber();
        String id = get(rec, "run_id");
        if (id != null && !id.isBlank()) {
          fileRunId = fileRunId == null ? id : fileRunId;
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, String> cfg = new LinkedHashMap<>();
        for (String h : header) {
          if (h.startsWith(METRIC_PREFIX)) {
            metrics.put(h.substring(METRIC_PREFIX.length()), number(rec.get(h), line, h));
          } else if (h.startsWith(CONFIG_PREFIX)) {
            cfg.put(h.substring(CONFIG_PREFIX.length()), rec.get(h));
          }
        }
        if (config == null) {
          config = cfg;
        } else if (!config.equals(cfg)) {
          throw new IOException(line + ": config.* columns differ from the first row (" + cfg + " vs " + config + ")");
        }
        String promptId = get(rec, "prompt_id");
        if (promptId == null || promptId.isBlank()) {
          throw new IOException(line + ": empty prompt_id");
        }
        String seed = get(rec, "seed");
        Long seedValue;
        try {
          seedValue = seed == null || seed.isBlank() ? null : Long.parseLong(seed.trim());
        } catch (NumberFormatException e) {
          throw new IOException(line + ": column seed is not an integer: '" + seed + "'", e);
        }
        Double gpu = number(get(rec, "gpu_seconds"), line, "gpu_seconds");
        String sampleCell = get(rec, "sample");
        int sample;
        try {
          sample = sampleCell == null || sampleCell.isBlank() ? 0 : Integer.parseInt(sampleCell.trim());
        } catch (NumberFormatException e) {
          throw new IOException(line + ": column sample is not an integer: '" + sampleCell + "'", e);
        }
        if (sample < 0) {
          throw new IOException(line + ": column sample must be >= 0, got " + sample);
        }
        String resolvedRun = runId != null ? runId : (id == null || id.isBlank() ? fileRunId : id);
        videos.add(new VideoScore(resolvedRun, promptId, sample, get(rec, "prompt"), splitConcepts(get(rec, "concept")),
            trimOrEmpty(get(rec, "motion_level")), seedValue, get(rec, "status"), get(rec, "video_path"), metrics, gpu));
      }
      String name = runId != null ? runId : fileRunId;
      if (name == null) {
        throw new IOException(source + ": no run label given and no run_id column value");
      }
      List<VideoScore> named = new ArrayList<>();
      for (VideoScore v : videos) {
        named.add(v.runId() != null && v.runId().equals(name) ? v : v.withRunId(name));
      }
      return new RunTable(name, config == null ? Map.of() : config, named);
    }
  }

  /** Writes a run as a metrics CSV (temp file + atomic rename). */
  public static void write(RunTable run, Path file) throws IOException {
    byte[] csv = toCsv(run, List.copyOf(run.metricNames()), null);
    AtomicFiles.writeBytes(file, out -> out.write(csv));
  }

  /**
   * The one writer of the format (k5 evaluate's metrics.csv and every test fixture): {@link #FIXED}, then
   * {@code error} when {@code errors} is given (prompt id -> why the row has no metrics; readers ignore the
   * column), then {@code metric.*} in {@code metricNames} order, then {@code config.*}.
   */
  public static byte[] toCsv(RunTable run, List<String> metricNames, Map<String, String> errors) throws IOException {
    List<String> header = header(metricNames, run.config().keySet(), errors != null);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (CSVPrinter out = new CSVPrinter(new java.io.OutputStreamWriter(bytes, StandardCharsets.UTF_8),
        CSVFormat.RFC4180.builder().setHeader(header.toArray(String[]::new)).build())) {
      for (VideoScore v : run.videos()) {
        List<Object> row = new ArrayList<>(Arrays.asList(run.runId(), v.promptId(), v.sample(), v.prompt(),
            String.join(", ", v.concepts()), v.motionLevel(), v.seed() == null ? "" : v.seed(), v.status(),
            v.videoPath() == null ? "" : v.videoPath(), v.gpuSeconds() == null ? "" : v.gpuSeconds()));
        if (errors != null) {
          row.add(errors.getOrDefault(v.promptId(), ""));
        }
        for (String m : metricNames) {
          Double d = v.metrics().get(m);
          row.add(d == null ? "" : d);
        }
        row.addAll(run.config().values());
        out.printRecord(row);
      }
    }
    return bytes.toByteArray();
  }

  /** The header {@link #toCsv} writes. */
  public static List<String> header(List<String> metricNames, java.util.Collection<String> configKeys,
      boolean withError) {
    List<String> header = new ArrayList<>(FIXED);
    if (withError) {
      header.add("error");
    }
    metricNames.forEach(m -> header.add(METRIC_PREFIX + m));
    configKeys.forEach(k -> header.add(CONFIG_PREFIX + k));
    return header;
  }

  public static List<String> splitConcepts(String joined) {
    if (joined == null || joined.isBlank()) {
      return List.of();
    }
    Set<String> labels = new LinkedHashSet<>();
    for (String s : joined.split(",")) {
      if (!s.isBlank()) {
        labels.add(s.trim());
      }
    }
    return List.copyOf(labels);
  }

  private static String get(CSVRecord rec, String column) {
    return rec.isMapped(column) && rec.isSet(column) ? rec.get(column) : null;
  }

  private static String trimOrEmpty(String s) {
    return s == null ? "" : s.trim();
  }

  private static Double number(String cell, String where, String column) throws IOException {
    if (cell == null) {
      return null;
    }
    String s = cell.trim();
    if (s.isEmpty() || s.equalsIgnoreCase("nan") || s.equalsIgnoreCase("null")) {
      return null;
    }
    if (s.equalsIgnoreCase("true")) {
      return 1.0;
    }
    if (s.equalsIgnoreCase("false")) {
      return 0.0;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new IOException(where + ": column " + column + " is not a number: '" + cell + "'", e);
    }
  }
}
