package org.k5spark.jobs.evaluate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.k5spark.eval.compare.MetricsCsv;
import org.k5spark.eval.compare.RunTable;
import org.k5spark.eval.compare.VideoScore;

/**
 * The per-video metrics table of a run: one row per video (sample of a prompt), in manifest order. Its CSV is the
 * {@link MetricsCsv} contract ({@code k5 compare}/{@code k5 report} read it) plus an {@code error}
 * column (ignored by readers) that says why a row has no metrics; the Parquet copy has the same columns,
 * concepts as an array.
 *
 * <p>status: {@code ok} = scored; {@code failed} = generation failed; {@code missing} / {@code corrupt}
 * = the video could not be read; {@code error} = scoring threw.
 */
public final class MetricsTable {
  private final String runId;
  private final Map<String, String> config;
  private final List<Row> rows = new ArrayList<>();
  private final List<String> metricNames;

  private record Row(EvalItem item, String status, String error, Map<String, Double> metrics) {}

  public MetricsTable(String runId, Map<String, String> config, List<EvalItem> items, Map<String, EvalRecord> parts) {
    this.runId = runId;
    this.config = new LinkedHashMap<>(config);
    Set<String> names = new LinkedHashSet<>();
    for (EvalItem item : items) {
      EvalRecord r = parts.get(item.itemId());
      if (!item.generated()) {
        rows.add(new Row(item, item.genStatus() == null ? "failed" : item.genStatus(), item.genError(), Map.of()));
      } else if (r == null) {
        rows.add(new Row(item, EvalRecord.ERROR, "no evaluation committed (task failed or job aborted)", Map.of()));
      } else {
        rows.add(new Row(item, r.status(), r.error(), r.metrics() == null ? Map.of() : r.metrics()));
        if (r.ok() && r.metrics() != null) {
          names.addAll(r.metrics().keySet());
        }
      }
    }
    this.metricNames = List.copyOf(names);
  }

  public List<String> metricNames() {
    return metricNames;
  }

  public List<String> header() {
    return MetricsCsv.header(metricNames, config.keySet(), true);
  }

  /** The same rows as {@code k5 compare} will see them. */
  public RunTable runTable() {
    List<VideoScore> scores = new ArrayList<>();
    for (Row r : rows) {
      scores.add(new VideoScore(runId, r.item().promptId(), r.item().sample(), r.item().prompt(), r.item().concepts(),
          r.item().motionLevel(), r.item().seed(), r.status(), r.item().videoPath(), r.metrics(), r.item().gpuSeconds()));
    }
    return new RunTable(runId, config, scores);
  }

  private List<Object> values(Row r, boolean csv) {
    EvalItem it = r.item();
    List<Object> v = new ArrayList<>();
    v.add(runId);
    v.add(it.promptId());
    v.add(it.sample());
    v.add(it.prompt());
    v.add(csv ? String.join(", ", it.concepts()) : it.concepts().toArray(new String[0]));
    v.add(it.motionLevel());
    v.add(it.seed());
    v.add(r.status());
    v.add(it.videoPath());
    v.add(it.gpuSeconds());
    v.add(r.error());
    for (String m : metricNames) {
      v.add(r.metrics().get(m));
    }
    v.addAll(config.values());
    return v;
  }

  /** The CSV copy, written by the one codec ({@link MetricsCsv#toCsv}). */
  public byte[] toCsv() throws IOException {
    Map<String, String> errors = new LinkedHashMap<>();
    rows.forEach(r -> errors.put(r.item().promptId(), r.error() == null ? "" : r.error()));
    return MetricsCsv.toCsv(runTable(), metricNames, errors);
  }

  public Dataset<org.apache.spark.sql.Row> toDataFrame(SparkSession spark) {
    List<StructField> fields = new ArrayList<>();
    for (String h : header()) {
      org.apache.spark.sql.types.DataType t = switch (h) {
        case "concept" -> DataTypes.createArrayType(DataTypes.StringType);
        case "seed" -> DataTypes.LongType;
        case "sample" -> DataTypes.IntegerType;
        case "gpu_seconds" -> DataTypes.DoubleType;
        default -> h.startsWith(MetricsCsv.METRIC_PREFIX) ? DataTypes.DoubleType : DataTypes.StringType;
      };
      fields.add(DataTypes.createStructField(h, t, true));
    }
    List<org.apache.spark.sql.Row> data = new ArrayList<>();
    for (Row r : rows) {
      data.add(RowFactory.create(values(r, false).toArray()));
    }
    return spark.createDataFrame(data, new StructType(fields.toArray(StructField[]::new)));
  }
}
