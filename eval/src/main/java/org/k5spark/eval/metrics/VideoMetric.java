package org.k5spark.eval.metrics;

import java.util.List;
import org.k5spark.core.video.VideoFrames;

/** Computes one or more named results on one decoded video. */
public interface VideoMetric {
  List<MetricResult> compute(VideoFrames video);

  /** With the prompt the video was generated from (null if unknown); only prompt-based metrics use it. */
  default List<MetricResult> compute(VideoFrames video, String prompt) {
    return compute(video);
  }
}
