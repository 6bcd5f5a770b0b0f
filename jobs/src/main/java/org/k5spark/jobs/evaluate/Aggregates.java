package org.k5spark.jobs.evaluate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.k5spark.eval.compare.PromptMeans;
import org.k5spark.eval.compare.RunTable;
import org.k5spark.eval.compare.VideoScore;
import org.k5spark.eval.stats.Bootstrap;
import org.k5spark.eval.stats.ConfidenceInterval;
import org.k5spark.eval.stats.Group;

/**
 * Per-run aggregates of every metric (and gpu_seconds): overall, per concept label (a prompt counts for
 * each of its labels) and per motion level, by {@link PromptMeans#RULE}: each prompt's samples are averaged
 * first, then the prompts, and the percentile-bootstrap CI resamples prompts. {@code n} counts prompts,
 * {@code n_videos} the videos behind them; the {@code aggregation} column states the rule in every row. Only
 * scored ({@code ok}) videos where the metric was computed count.
 */
public final class Aggregates {
  public static final String GPU_SECONDS = "gpu_seconds";
  private static final String[] HEADER = {"run_id", "metric", "group_kind", "group", "n", "n_videos", "mean", "ci_lower",
      "ci_upper", "level", "aggregation"};

  /** One aggregate: {@code n} prompts, {@code videos} videos. */
  public record Line(String runId, String metric, Group group, int n, int videos, ConfidenceInterval mean) {}

  private Aggregates() {}

  public static List<Line> compute(RunTable run, List<String> metrics, Bootstrap bootstrap) {
    List<VideoScore> ok = run.videos().stream().filter(VideoScore::ok).toList();
    Map<Group, List<VideoScore>> groups = Group.split(ok, VideoScore::concepts, VideoScore::motionLevel);
    List<String> names = new ArrayList<>(metrics);
    names.add(GPU_SECONDS);
    List<Line> out = new ArrayList<>();
    for (String m : names) {
      for (Map.Entry<Group, List<VideoScore>> g : groups.entrySet()) {
        PromptMeans.Result x = PromptMeans.of(g.getValue(), v -> m.equals(GPU_SECONDS) ? v.gpuSeconds() : v.metric(m));
        if (x.prompts() > 0 || g.getKey().equals(Group.OVERALL)) {
          out.add(new Line(run.runId(), m, g.getKey(), x.prompts(), x.videos(), bootstrap.mean(x.values())));
        }
      }
    }
    return out;
  }

  private static Object[] values(Line l) {
    return new Object[] {l.runId(), l.metric(), l.group().kind().name().toLowerCase(java.util.Locale.ROOT),
        l.group().label(), l.n(), l.videos(), l.mean().estimate(), l.mean().lower(), l.mean().upper(), l.mean().level(),
        PromptMeans.RULE};
  }

  public static byte[] toCsv(List<Line> lines) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (CSVPrinter p = new CSVPrinter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8),
        CSVFormat.RFC4180.builder().setHeader(HEADER).build())) {
      for (Line l : lines) {
        p.printRecord(values(l));
      }
    }
    return bytes.toByteArray();
  }

  public static Dataset<Row> toDataFrame(SparkSession spark, List<Line> lines) {
    StructType schema = new StructType()
        .add("run_id", DataTypes.StringType).add("metric", DataTypes.StringType)
        .add("group_kind", DataTypes.StringType).add("group", DataTypes.StringType)
        .add("n", DataTypes.IntegerType).add("n_videos", DataTypes.IntegerType).add("mean", DataTypes.DoubleType)
        .add("ci_lower", DataTypes.DoubleType).add("ci_upper", DataTypes.DoubleType)
        .add("level", DataTypes.DoubleType).add("aggregation", DataTypes.StringType);
    return spark.createDataFrame(lines.stream().map(l -> RowFactory.create(values(l))).toList(), schema);
  }
}
