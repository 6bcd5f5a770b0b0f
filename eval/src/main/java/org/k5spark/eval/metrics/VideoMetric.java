package org.k5spark.eval.metrics;

import java.util.List;
import org.k5spark.core.video.VideoFrames;

/** Computes one or more named results on one decoded video. */
public interface VideoMetric {
  List<MetricResult> compute(VideoFrames video);
}
