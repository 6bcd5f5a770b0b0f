package org.k5spark.jobs.generate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The manifest table: one column list shared by the Parquet table and its CSV copy. */
public final class Manifest {
  /** Stages whose wall time gets a column; the pipeline reports the first three, the job the last two. */
  public static final List<String> STAGES = List.of("text_encode", "denoise", "decode", "encode", "upload");

  private record Column(String name, DataType type, Function<ManifestRow, Object> get) {}

  private static final List<Column> COLUMNS = columns();

  private Manifest() {}

  private static List<Column> columns() {
    List<Column> c = new ArrayList<>(List.of(
        new Column("run_id", DataTypes.StringType, ManifestRow::runId),
        new Column("prompt_id", DataTypes.StringType, ManifestRow::promptId),
        new Column("sample", DataTypes.IntegerType, ManifestRow::sample),
        new Column("prompt", DataTypes.StringType, ManifestRow::prompt),
        new Column("concepts", DataTypes.createArrayType(DataTypes.StringType), ManifestRow::concepts),
        new Column("motion_level", DataTypes.StringType, ManifestRow::motionLevel),
        new Column("seed", DataTypes.LongType, ManifestRow::seed),
        new Column("model_variant", DataTypes.StringType, ManifestRow::modelVariant),
        new Column("checkpoint_digest", DataTypes.StringType, ManifestRow::checkpointDigest),
        new Column("config_digest", DataTypes.StringType, ManifestRow::configDigest),
        new Column("width", DataTypes.IntegerType, ManifestRow::width),
        new Column("height", DataTypes.IntegerType, ManifestRow::height),
        new Column("frames", DataTypes.IntegerType, ManifestRow::frames),
        new Column("fps", DataTypes.DoubleType, ManifestRow::fps),
        new Column("steps", DataTypes.IntegerType, ManifestRow::steps),
        new Column("guidance", DataTypes.DoubleType, ManifestRow::guidance),
        new Column("status", DataTypes.StringType, ManifestRow::status),
        new Column("error", DataTypes.StringType, ManifestRow::error),
        new Column("video_path", DataTypes.StringType, ManifestRow::videoPath),
        new Column("video_bytes", DataTypes.LongType, ManifestRow::videoBytes),
        new Column("video_sha256", DataTypes.StringType, ManifestRow::videoSha256),
        new Column("frames_sha256", DataTypes.StringType, ManifestRow::framesSha256),
        new Column("redone", DataTypes.StringType, ManifestRow::redone),
        new Column("source_file", DataTypes.StringType, ManifestRow::sourceFile),
        new Column("source_line", DataTypes.IntegerType, ManifestRow::sourceLine),
        new Column("prompt_truncated", DataTypes.BooleanType, ManifestRow::promptTruncated),
        new Column("vae_tiling", DataTypes.BooleanType, ManifestRow::vaeTiling),
        new Column("magcache", DataTypes.BooleanType, ManifestRow::magCache)));
    for (String stage : STAGES) {
      c.add(new Column(stage + "_ms", DataTypes.DoubleType, r -> r.timingsMs().get(stage)));
    }
    c.addAll(List.of(
        new Column("gpu", DataTypes.StringType, ManifestRow::gpu),
        new Column("executor_id", DataTypes.StringType, ManifestRow::executorId),
        new Column("attempt", DataTypes.IntegerType, ManifestRow::attempt),
        new Column("pipeline_instance", DataTypes.StringType, ManifestRow::pipelineInstance)));
    return List.copyOf(c);
  }

  public static List<String> columnNames() {
    return COLUMNS.stream().map(Column::name).toList();
  }

  /**
   * In input order: one row per sample of each accepted input record ({@code samplesPerPrompt} rows, sample 0
   * first), one row per rejected record; duplicates of a prompt share its videos.
   */
  public static List<ManifestRow> assemble(String runId, List<PromptRecord> inputs, int samplesPerPrompt,
      Map<String, PartRecord> parts) {
    List<ManifestRow> rows = new ArrayList<>(inputs.size() * samplesPerPrompt);
    for (PromptRecord in : inputs) {
      if (!in.accepted()) {
        rows.add(ManifestRow.rejected(runId, in));
        continue;
      }
      for (PromptSample s : PromptSample.of(in, samplesPerPrompt)) {
        rows.add(ManifestRow.of(runId, s, parts.get(s.sampleId())));
      }
    }
    return rows;
  }

  public static byte[] toCsv(List<ManifestRow> rows) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (CSVPrinter p = new CSVPrinter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8),
        CSVFormat.RFC4180.builder().setHeader(columnNames().toArray(String[]::new)).setRecordSeparator("\n").build())) {
      for (ManifestRow r : rows) {
        List<Object> values = new ArrayList<>(COLUMNS.size());
        for (Column c : COLUMNS) {
          Object v = c.get().apply(r);
          values.add(v instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList()) : v);
        }
        p.printRecord(values);
      }
    }
    return bytes.toByteArray();
  }

  public static Dataset<Row> toDataFrame(SparkSession spark, List<ManifestRow> rows) {
    StructType schema = new StructType(COLUMNS.stream()
        .map(c -> new StructField(c.name(), c.type(), !c.name().equals("source_line"), org.apache.spark.sql.types.Metadata.empty()))
        .toArray(StructField[]::new));
    List<Row> data = new ArrayList<>(rows.size());
    for (ManifestRow r : rows) {
      data.add(RowFactory.create(COLUMNS.stream().map(c -> {
        Object v = c.get().apply(r);
        return v instanceof List<?> l ? l.toArray(new String[0]) : v;
      }).toArray()));
    }
    return spark.createDataFrame(data, schema);
  }
}
