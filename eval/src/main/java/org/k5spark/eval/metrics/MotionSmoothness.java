package org.k5spark.eval.metrics;

import java.util.List;
import java.util.Optional;
import org.k5spark.core.video.VideoFrames;
import org.k5spark.eval.flow.FrameInterpolator;

/**
 * VBench motion_smoothness (spec §6.3) around a pluggable interpolator: from the even frames
 * F0, F2, F4, … synthesise each midpoint and compare it with the real odd frame between them;
 * {@code (255 - mean MAE) / 255}. With an even frame count the last frame has no partner and is ignored.
 */
public final class MotionSmoothness implements VideoMetric {
  public static final String NAME = "motion_smoothness";

  private final FrameInterpolator interpolator;

  public MotionSmoothness(FrameInterpolator interpolator) {
    this.interpolator = interpolator;
  }

  @Override
  public List<MetricResult> compute(VideoFrames video) {
    Optional<String> unavailable = interpolator.unavailableReason();
    if (unavailable.isPresent()) {
      return List.of(MetricResult.notComputed(NAME, interpolator.name(), unavailable.get()));
    }
    if (video.frames() < 3) {
      return List.of(MetricResult.notComputed(NAME, interpolator.name(), "needs at least 3 frames, got " + video.frames()));
    }
    return List.of(MetricResult.of(NAME, score(video, interpolator), interpolator.name()));
  }

  public static double score(VideoFrames video, FrameInterpolator interpolator) {
    int n = video.frameBytes();
    double sum = 0;
    int count = 0;
    for (int k = 0; k + 2 < video.frames(); k += 2) {
      byte[] mid = interpolator.midpoint(video, k, k + 2);
      sum += PixelDiff.meanAbsDiff(video.rgb(), (k + 1) * n, mid, 0, n);
      count++;
    }
    return (255.0 - sum / count) / 255.0;
  }
}
