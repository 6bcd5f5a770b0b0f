package org.k5spark.eval.flow;

import java.util.Optional;
import org.k5spark.core.video.VideoFrames;

/**
 * Dense optical flow between two frames of a video: the model slot of VBench's dynamic_degree (RAFT there).
 * Implementations say who they are ({@link #name()}) so every metric can report its estimator.
 */
public interface OpticalFlowEstimator {
  /** Short estimator id reported with each metric, e.g. {@code farneback}. */
  String name();

  /** Empty when usable; otherwise why not (e.g. "no weights"): metrics then report "not computed". */
  default Optional<String> unavailableReason() {
    return Optional.empty();
  }

  /** Flow from frame {@code from} to frame {@code to} of {@code video}, at full frame resolution. */
  FlowField estimate(VideoFrames video, int from, int to);
}
