package org.k5spark.eval.metrics;

import java.util.List;
import org.k5spark.core.video.VideoFrames;

/**
 * A VBench dimension defined by a learned network whose weights are not available here: reported as
 * "not computed" with the reason, never replaced by a classical proxy under the VBench name.
 */
public final class UnportedModelMetric implements VideoMetric {
  private final String name;
  private final String model;
  private final String reason;

  public UnportedModelMetric(String name, String model, String reason) {
    this.name = name;
    this.model = model;
    this.reason = reason;
  }

  @Override
  public List<MetricResult> compute(VideoFrames video) {
    return List.of(MetricResult.notComputed(name, model, reason));
  }
}
