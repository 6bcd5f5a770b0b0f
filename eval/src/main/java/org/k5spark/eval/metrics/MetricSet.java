package org.k5spark.eval.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.k5spark.core.video.VideoFrames;
import org.k5spark.eval.flow.FarnebackFlow;
import org.k5spark.eval.flow.FlowWarpInterpolator;
import org.k5spark.eval.flow.FrameInterpolator;
import org.k5spark.eval.flow.OpticalFlowEstimator;
import org.k5spark.eval.stats.VideoStatistics;

/** Runs the configured metrics on one video and returns their results by name, in configuration order. */
public final class MetricSet {
  private final List<VideoMetric> metrics;

  public MetricSet(List<VideoMetric> metrics) {
    this.metrics = List.copyOf(metrics);
  }

  /**
   * The model-free VBench dimensions with classical estimators (Farneback flow for dynamic_degree,
   * Farneback warping for motion_smoothness), the model-based dimensions as "not computed (no weights)",
   * then the basic statistics.
   */
  public static MetricSet classicalDefaults() {
    FarnebackFlow flow = new FarnebackFlow();
    return with(flow, new FlowWarpInterpolator(flow), ModelMetrics.none());
  }

  /** The model-free dimensions with the given estimators, the model-based ones from {@code models}, then statistics. */
  public static MetricSet with(OpticalFlowEstimator flow, FrameInterpolator interpolator, ModelMetrics models) {
    List<VideoMetric> metrics = new ArrayList<>();
    metrics.add(new TemporalFlickering());
    metrics.add(new MotionSmoothness(interpolator));
    metrics.add(new DynamicDegree(flow));
    metrics.addAll(models.metrics());
    metrics.add(new VideoStatistics());
    return new MetricSet(metrics);
  }

  /** This set followed by {@code more}. */
  public MetricSet plus(List<VideoMetric> more) {
    List<VideoMetric> all = new ArrayList<>(metrics);
    all.addAll(more);
    return new MetricSet(all);
  }

  public Map<String, MetricResult> run(VideoFrames video) {
    return run(video, null);
  }

  /** @param prompt the generating prompt, or null */
  public Map<String, MetricResult> run(VideoFrames video, String prompt) {
    return runTimed(video, prompt).results();
  }

  /** Results plus wall seconds per metric, keyed by the first result name each metric reported. */
  public record Timed(Map<String, MetricResult> results, Map<String, Double> seconds) {
  }

  public Timed runTimed(VideoFrames video, String prompt) {
    Map<String, MetricResult> out = new LinkedHashMap<>();
    Map<String, Double> seconds = new LinkedHashMap<>();
    for (VideoMetric metric : metrics) {
      long t0 = System.nanoTime();
      List<MetricResult> results = metric.compute(video, prompt);
      double dt = (System.nanoTime() - t0) / 1e9;
      for (MetricResult r : results) {
        if (out.putIfAbsent(r.name(), r) != null) {
          throw new IllegalStateException("two metrics report " + r.name());
        }
      }
      if (!results.isEmpty()) {
        seconds.put(results.get(0).name(), dt);
      }
    }
    return new Timed(out, seconds);
  }
}
