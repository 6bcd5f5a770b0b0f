package org.k5spark.jobs.nightly;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.k5spark.eval.store.FsCommit;

/**
 * Every night's result, one row per night and gated metric (a skipped or failed night: one row with an
 * empty metric). The CSV is the source of truth (read, appended, rewritten atomically); a Parquet copy is
 * rewritten from it for SQL users.
 */
public final class History {
  static final String[] HEADER = {"night_id", "time", "status", "candidate", "candidate_digest", "baseline", "metric",
      "candidate_mean", "baseline_mean", "change", "win_rate_upper", "regressed"};

  /** One history row. Numbers are NaN when not applicable. */
  public record Row(String nightId, String time, String status, String candidate, String candidateDigest,
      String baseline, String metric, double candidateMean, double baselineMean, double change, double winRateUpper,
      boolean regressed) {}

  private History() {}

  public static List<Row> read(Path csv, Configuration conf) throws IOException {
    FileSystem fs = csv.getFileSystem(conf);
    List<Row> rows = new ArrayList<>();
    if (!fs.exists(csv)) {
      return rows;
    }
    try (InputStream in = fs.open(csv); CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
        .build().parse(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (CSVRecord r : p) {
        rows.add(new Row(r.get("night_id"), r.get("time"), r.get("status"), r.get("candidate"), r.get("candidate_digest"),
            r.get("baseline"), r.get("metric"), num(r.get("candidate_mean")), num(r.get("baseline_mean")),
            num(r.get("change")), num(r.get("win_rate_upper")), Boolean.parseBoolean(r.get("regressed"))));
      }
    } catch (RuntimeException e) {
      throw new IOException(csv + ": not a nightly history table (" + e.getMessage() + ")", e);
    }
    return rows;
  }

  /** The last judged night (pass or regression), or null. */
  public static Row lastJudged(List<Row> rows) {
    Row last = null;
    for (Row r : rows) {
      if (Verdict.PASS.equals(r.status()) || Verdict.REGRESSION.equals(r.status())) {
        last = r;
      }
    }
    return last;
  }

  public static void append(List<Row> more, Path csv, Path parquet, Path tmp, SparkSession spark) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<Row> all = new ArrayList<>(read(csv, conf));
    all.addAll(more);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (CSVPrinter p = new CSVPrinter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8),
        CSVFormat.RFC4180.builder().setHeader(HEADER).build())) {
      for (Row r : all) {
        p.printRecord(r.nightId(), r.time(), r.status(), r.candidate(), r.candidateDigest(), r.baseline(), r.metric(),
            str(r.candidateMean()), str(r.baselineMean()), str(r.change()), str(r.winRateUpper()), r.regressed());
      }
    }
    FsCommit.commitBytes(bytes.toByteArray(), csv, tmp, conf);
    StructType schema = new StructType().add("night_id", DataTypes.StringType).add("time", DataTypes.StringType)
        .add("status", DataTypes.StringType).add("candidate", DataTypes.StringType)
        .add("candidate_digest", DataTypes.StringType).add("baseline", DataTypes.StringType)
        .add("metric", DataTypes.StringType).add("candidate_mean", DataTypes.DoubleType)
        .add("baseline_mean", DataTypes.DoubleType).add("change", DataTypes.DoubleType)
        .add("win_rate_upper", DataTypes.DoubleType).add("regressed", DataTypes.BooleanType);
    spark.createDataFrame(all.stream().map(r -> RowFactory.create(r.nightId(), r.time(), r.status(), r.candidate(),
        r.candidateDigest(), r.baseline(), r.metric(), r.candidateMean(), r.baselineMean(), r.change(), r.winRateUpper(),
        r.regressed())).toList(), schema).coalesce(1).write().mode(SaveMode.Overwrite).parquet(parquet.toString());
  }

  private static double num(String s) {
    return s == null || s.isBlank() ? Double.NaN : Double.parseDouble(s);
  }

  private static String str(double d) {
    return Double.isNaN(d) ? "" : Double.toString(d);
  }
}
