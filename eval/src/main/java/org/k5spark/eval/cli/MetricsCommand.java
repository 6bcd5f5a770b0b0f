package org.k5spark.eval.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.k5spark.core.video.DecodedVideo;
import org.k5spark.core.video.Mp4Reader;
import org.k5spark.core.video.VideoFileException;
import org.k5spark.eval.flow.FarnebackFlow;
import org.k5spark.eval.flow.FlowWarpInterpolator;
import org.k5spark.eval.flow.FrameInterpolator;
import org.k5spark.eval.flow.LinearBlendInterpolator;
import org.k5spark.eval.flow.OpticalFlowEstimator;
import org.k5spark.eval.flow.Unavailable;
import org.k5spark.eval.raft.FlowChoice;
import org.k5spark.eval.metrics.MetricResult;
import org.k5spark.eval.metrics.MetricSet;
import org.k5spark.eval.metrics.FormatCheck;
import org.k5spark.eval.metrics.MetricsJson;
import org.k5spark.eval.metrics.StaticFilter;
import org.k5spark.eval.metrics.VideoMetric;
import org.k5spark.eval.metrics.ModelMetrics;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.cli.ExitCode;
import org.k5spark.core.weights.WeightFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code k5 metrics <video.mp4> [--prompt TEXT]}: decodes one video, runs the VBench-style metric set and
 * prints one JSON object: {@code {"video", "prompt", "codec", "fps", "frames", "width", "height",
 * "metrics": {vbench_name: {"value", "estimator", "not_computed"?, "details"?}}, "timings_s"}}.
 * Exit code 2 for an unreadable video (message on stderr).
 */
@Command(name = "metrics", mixinStandardHelpOptions = true,
    description = "VBench-style metrics of one video as JSON: the model-free dimensions with classical estimators,"
        + " the model-based ones from --weights-dir (else reported as not computed), and basic statistics.")
public final class MetricsCommand implements Callable<Integer> {
  enum Flow { farneback, raft }

  enum Interpolator { flow, linear, amt }

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "VIDEO", description = "video file (MP4)")
  Path video;

  @Option(names = "--prompt", description = "the prompt the video was generated from (recorded; used by text_video_alignment)")
  String prompt;

  @Option(names = "--flow", description = "flow estimator for dynamic_degree and the static filter:"
      + " ${COMPLETION-CANDIDATES} (default: raft when --weights-dir holds raft-things.safetensors, else farneback)")
  Flow flow;

  @Option(names = "--interpolator", defaultValue = "flow",
      description = "frame interpolator for motion_smoothness: ${COMPLETION-CANDIDATES} (flow = Farneback warp)")
  Interpolator interpolator;

  @Option(names = "--weights-dir", description = "directory with the weights of the model-based metrics ("
      + ModelMetrics.DINO + ", " + ModelMetrics.CLIP_B32 + ", " + ModelMetrics.CLIP_L14 + ", " + ModelMetrics.AESTHETIC_HEAD
      + "), or a VBench pretrained/cache folder with its .pth files as they ship (read without executing them);"
      + " absent files are reported as not computed")
  Path weightsDir;

  @Option(names = "--device", defaultValue = "cpu", description = "device for the model-based metrics: cpu, gpu, gpu:N, auto")
  String device;

  @Option(names = "--static-filter", description = "also run VBench's static filter (static_filter: would the video be kept"
      + " for temporal_flickering); costs one flow per frame")
  boolean staticFilter;

  @Option(names = "--expect-frames", description = "expected frame count (format_ok)")
  Integer expectFrames;

  @Option(names = "--expect-fps", description = "expected fps (format_ok)")
  Double expectFps;

  @Option(names = "--expect-size", description = "expected WIDTHxHEIGHT (format_ok)")
  String expectSize;

  @Option(names = "--pretty", description = "indent the JSON")
  boolean pretty;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    expectedSize(); // reject a malformed option before the (slow) decode
    long t0 = System.nanoTime();
    DecodedVideo decoded;
    try {
      decoded = new Mp4Reader().read(video);
    } catch (VideoFileException e) {
      spec.commandLine().getErr().println("k5 metrics: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 2;
    }
    long t1 = System.nanoTime();
    MetricSet.Timed timed;
    ModelMetrics models;
    try {
      models = weightsDir == null ? ModelMetrics.none() : ModelMetrics.create(weightsDir, TorchRuntime.device(device));
    } catch (WeightFileException e) {
      spec.commandLine().getErr().println("k5 metrics: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return ExitCode.REFUSED;
    }
    try (models;
        FlowChoice flows = FlowChoice.open(flow == null ? null : flow.name(), weightsDir,
            weightsDir == null ? null : TorchRuntime.device(device))) {
      timed = metricSet(models, flows.estimator()).runTimed(decoded.frames(), prompt);
    }
    Map<String, MetricResult> results = timed.results();
    long t2 = System.nanoTime();

    ObjectNode json = MetricsJson.mapper().createObjectNode();
    json.put("video", video.toString());
    json.put("prompt", prompt);
    json.put("codec", decoded.metadata().codec());
    json.put("fps", decoded.metadata().fps());
    json.put("frames", decoded.metadata().frames());
    json.put("width", decoded.metadata().width());
    json.put("height", decoded.metadata().height());
    json.set("metrics", MetricsJson.toJson(results));
    ObjectNode timings = json.putObject("timings_s");
    timings.put("decode", (t1 - t0) / 1e9);
    timings.put("metrics", (t2 - t1) / 1e9);
    timings.set("per_metric", MetricsJson.mapper().valueToTree(timed.seconds()));
    out.println(pretty ? json.toPrettyString() : json.toString());
    out.flush();
    return 0;
  }

  private int[] expectedSize() {
    if (expectSize == null) {
      return null;
    }
    String[] parts = expectSize.toLowerCase().split("x");
    try {
      if (parts.length == 2) {
        return new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
      }
    } catch (NumberFormatException e) {
      // fall through to the usage error
    }
    throw new CommandLine.ParameterException(spec.commandLine(), "--expect-size must be WIDTHxHEIGHT, got " + expectSize);
  }

  private MetricSet metricSet(ModelMetrics models, OpticalFlowEstimator flowEstimator) {
    OpticalFlowEstimator farneback = new FarnebackFlow();
    FrameInterpolator interp = switch (interpolator) {
      case flow -> new FlowWarpInterpolator(farneback);
      case linear -> new LinearBlendInterpolator();
      case amt -> Unavailable.amt();
    };
    List<VideoMetric> extra = new ArrayList<>();
    if (staticFilter) {
      extra.add(new StaticFilter(flowEstimator));
    }
    if (expectFrames != null || expectFps != null || expectSize != null) {
      int[] size = expectedSize();
      extra.add(new FormatCheck(expectFrames, expectFps, size == null ? null : size[0], size == null ? null : size[1]));
    }
    return MetricSet.with(flowEstimator, interp, models).plus(extra);
  }
}
