package org.k5spark.benchmark.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.k5spark.benchmark.MachineInfo;
import org.k5spark.benchmark.e2e.Mfu;
import org.k5spark.benchmark.e2e.Stats;
import org.k5spark.benchmark.video.SyntheticClip;
import org.k5spark.core.video.DecodedVideo;
import org.k5spark.core.video.Mp4Reader;
import org.k5spark.core.video.Mp4Writer;
import org.k5spark.eval.metrics.MetricSet;

/**
 * Evaluation throughput: MP4 decode plus the model-free VBench-style metrics
 * ({@link MetricSet#classicalDefaults()}: temporal flickering, motion smoothness and dynamic degree on
 * Farneback flow, basic statistics; model-based ones report "no weights" and cost nothing) per video.
 * Input: the MP4s of a directory (e.g. what benchmark/run.sh wrote), else synthetic noisy clips encoded with
 * {@link Mp4Writer}. Output: JSON under benchmark/results/ and a row in benchmark/RESULTS.md.
 *
 * <pre>
 *   EvalThroughputBenchmark [--videos DIR] [--synthetic FxHxW] [--count N] [--check]
 * </pre>
 */
public final class EvalThroughputBenchmark {
  public static final String MARKER = "<!-- eval rows: eval-throughput.sh inserts above this line -->";

  private EvalThroughputBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path videos = null;
    String synthetic = "25x64x64";
    int count = 4;
    boolean check = false;
    Path resultsDir = Path.of("benchmark/results");
    Path md = Path.of("benchmark/RESULTS.md");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--videos" -> videos = Path.of(args[++i]);
        case "--synthetic" -> synthetic = args[++i];
        case "--count" -> count = Integer.parseInt(args[++i]);
        case "--check" -> check = true;
        case "--results-dir" -> resultsDir = Path.of(args[++i]);
        case "--results-md" -> md = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    ObjectMapper om = new ObjectMapper();
    ObjectNode root = om.createObjectNode();
    root.put("benchmark", "eval_throughput");
    String date = Instant.now().toString();
    root.put("date", date);
    ObjectNode machine = MachineInfo.describe(om);
    root.set("machine", machine);

    List<byte[]> inputs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    if (videos != null && Files.isDirectory(videos)) {
      try (Stream<Path> s = Files.list(videos)) {
        for (Path p : s.filter(f -> f.toString().endsWith(".mp4")).sorted().limit(count).toList()) {
          inputs.add(Files.readAllBytes(p));
          names.add(p.toString());
        }
      }
      root.put("input", videos.toString());
    }
    if (inputs.isEmpty()) {
      String[] fhw = synthetic.split("x");
      Mp4Writer writer = new Mp4Writer();
      for (int i = 0; i < count; i++) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // each clip different (frame offset) so that nothing is cached between them
        writer.write(SyntheticClip.of(Integer.parseInt(fhw[0]) + i, Integer.parseInt(fhw[1]),
            Integer.parseInt(fhw[2]), 24), out, "synthetic-" + i);
        inputs.add(out.toByteArray());
        names.add("synthetic-" + i);
      }
      root.put("input", "synthetic noisy clips " + synthetic + " (F x H x W, +i frames for clip i), libx264 CRF 18");
    }
    if (check) {
      inputs.subList(1, inputs.size()).clear();
    }

    MetricSet metrics = MetricSet.classicalDefaults();
    Mp4Reader reader = new Mp4Reader();
    metrics.run(reader.read(new ByteArrayInputStream(inputs.get(0)), names.get(0)).frames(), null); // warm-up
    Map<String, double[]> perMetric = new LinkedHashMap<>();
    double[] decode = new double[inputs.size()];
    double[] total = new double[inputs.size()];
    long frames = 0;
    String shape = "";
    for (int i = 0; i < inputs.size(); i++) {
      long t0 = System.nanoTime();
      DecodedVideo v = reader.read(new ByteArrayInputStream(inputs.get(i)), names.get(i));
      decode[i] = (System.nanoTime() - t0) / 1e9;
      MetricSet.Timed timed = metrics.runTimed(v.frames(), null);
      total[i] = (System.nanoTime() - t0) / 1e9;
      frames += v.frames().frames();
      shape = v.frames().frames() + "x" + v.frames().height() + "x" + v.frames().width();
      for (Map.Entry<String, Double> e : timed.seconds().entrySet()) {
        perMetric.computeIfAbsent(e.getKey(), k -> new double[decode.length])[i] = e.getValue();
      }
    }
    ObjectNode m = root.putObject("metric_s_per_video");
    for (Map.Entry<String, double[]> e : perMetric.entrySet()) {
      m.put(e.getKey(), Stats.of(e.getValue()).mean());
    }
    double perVideo = Stats.of(total).mean();
    root.put("videos", inputs.size());
    root.put("decode_s_per_video", Stats.of(decode).mean());
    root.put("total_s_per_video", perVideo);
    root.put("videos_per_hour", Mfu.videosPerHour(perVideo));
    double fps = frames / java.util.Arrays.stream(total).sum();
    root.put("frames_per_s", fps);
    root.put("peak_host_rss_mib", MachineInfo.procStatusKb("VmHWM") / 1024);
    StringBuilder slowest = new StringBuilder();
    perMetric.entrySet().stream().sorted((a, b) -> Double.compare(Stats.of(b.getValue()).mean(),
        Stats.of(a.getValue()).mean())).limit(3).forEach(e -> slowest.append(slowest.length() == 0 ? "" : ", ")
        .append(e.getKey()).append(String.format(Locale.ROOT, " %.2f s", Stats.of(e.getValue()).mean())));
    String row = String.format(Locale.ROOT, "| %s | %s | %s | %d | %.3f | %.2f | %.0f | %.1f | %s |",
        date.substring(0, 16).replace('T', ' '), MachineInfo.oneLine(machine), shape, inputs.size(),
        Stats.of(decode).mean(), perVideo, Mfu.videosPerHour(perVideo), fps, slowest);
    root.put("markdown_row", row);
    String json = om.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    System.out.println(json);
    if (!check) {
      Files.createDirectories(resultsDir);
      Path out = resultsDir.resolve("eval-throughput-" + date.substring(0, 19).replace(":", "") + ".json");
      Files.writeString(out, json);
      String doc = Files.exists(md) ? Files.readString(md) : "";
      doc = doc.contains(MARKER) ? doc.replace(MARKER, row + "\n" + MARKER) : doc + "\n" + row + "\n";
      org.k5spark.core.io.AtomicFiles.writeAtomically(md, doc);
      System.err.println("eval-throughput: wrote " + out + " and a row in " + md);
    }
  }
}
