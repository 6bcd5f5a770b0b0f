package org.k5spark.eval.metrics;

import java.util.List;
import org.k5spark.core.video.VideoFrames;

/**
 * VBench temporal_flickering (model-free, exact port): {@code (255 - mean_i MAE(F_i, F_{i+1})) / 255} over all
 * frames at full resolution. Meant for static scenes: on moving videos the MAE also charges motion.
 */
public final class TemporalFlickering implements VideoMetric {
  public static final String NAME = "temporal_flickering";
  public static final String ESTIMATOR = "model-free";

  @Override
  public List<MetricResult> compute(VideoFrames video) {
    if (video.frames() < 2) {
      return List.of(MetricResult.notComputed(NAME, ESTIMATOR, "needs at least 2 frames, got " + video.frames()));
    }
    return List.of(MetricResult.of(NAME, score(video), ESTIMATOR));
  }

  public static double score(VideoFrames video) {
    double sum = 0;
    for (int f = 0; f + 1 < video.frames(); f++) {
      sum += PixelDiff.meanAbsDiff(video.rgb(), f * video.frameBytes(), video.rgb(), (f + 1) * video.frameBytes(),
          video.frameBytes());
    }
    return (255.0 - sum / (video.frames() - 1)) / 255.0;
  }
}
