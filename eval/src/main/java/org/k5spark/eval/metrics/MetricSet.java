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
    return withEstimators(flow, new FlowWarpInterpolator(flow));
  }

  /** The default set with the given estimators in the model slots of dynamic_degree and motion_smoothness. */
  public static MetricSet withEstimators(OpticalFlowEstimator flow, FrameInterpolator interpolator) {
    List<VideoMetric> metrics = new ArrayList<>();
    metrics.add(new TemporalFlickering());
    metrics.add(new MotionSmoothness(interpolator));
    metrics.add(new DynamicDegree(flow));
    metrics.add(new UnportedModelMetric("subject_consistency", "dino_vitb16", "no weights (DINO ViT-B/16)"));
    metrics.add(new UnportedModelMetric("background_consistency", "clip_vitb32", "no weights (CLIP ViT-B/32)"));
    metrics.add(new UnportedModelMetric("aesthetic_quality", "clip_vitl14+laion_aesthetic_linear",
        "no weights (CLIP ViT-L/14 + LAION aesthetic head)"));
    metrics.add(new UnportedModelMetric("text_video_alignment", "clip_vitb32", "no weights (CLIP ViT-B/32 image/text)"));
    metrics.add(new VideoStatistics());
    return new MetricSet(metrics);
  }

  public Map<String, MetricResult> run(VideoFrames video) {
    Map<String, MetricResult> out = new LinkedHashMap<>();
    for (VideoMetric metric : metrics) {
      for (MetricResult r : metric.compute(video)) {
        if (out.putIfAbsent(r.name(), r) != null) {
          throw new IllegalStateException("two metrics report " + r.name());
        }
      }
    }
    return out;
  }
}
