package org.k5spark.eval.flow;

import java.util.Optional;
import org.k5spark.core.video.VideoFrames;

/** Synthesises the temporal midpoint (t = 0.5) between two frames: the model slot of motion_smoothness (AMT-S). */
public interface FrameInterpolator {
  String name();

  default Optional<String> unavailableReason() {
    return Optional.empty();
  }

  /** The midpoint between frames {@code a} and {@code b} of {@code video}, RGB uint8 (H, W, 3). */
  byte[] midpoint(VideoFrames video, int a, int b);
}
