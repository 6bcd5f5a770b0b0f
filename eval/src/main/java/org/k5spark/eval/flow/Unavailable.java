package org.k5spark.eval.flow;

import java.util.Optional;
import org.k5spark.core.video.VideoFrames;

/**
 * A learned estimator VBench uses (RAFT for flow, AMT-S for interpolation) that cannot run here: RAFT without its
 * weights file, AMT-S not yet ported. Metrics that get one report "not computed" with the reason instead of a number.
 */
public final class Unavailable {
  private Unavailable() {
  }

  /** RAFT without its weights; {@code where} says what was looked for ("expected <file>"). */
  public static OpticalFlowEstimator raft(String where) {
    return new OpticalFlowEstimator() {
      @Override
      public String name() {
        return "raft";
      }

      @Override
      public Optional<String> unavailableReason() {
        return Optional.of("no weights (" + where + ")");
      }

      @Override
      public FlowField estimate(VideoFrames video, int from, int to) {
        throw new UnsupportedOperationException("raft: " + unavailableReason().orElseThrow());
      }
    };
  }

  public static FrameInterpolator amt() {
    return new FrameInterpolator() {
      @Override
      public String name() {
        return "amt-s";
      }

      @Override
      public Optional<String> unavailableReason() {
        return Optional.of("no weights (AMT-S amt-s.pth not ported)");
      }

      @Override
      public byte[] midpoint(VideoFrames video, int a, int b) {
        throw new UnsupportedOperationException("amt-s: " + unavailableReason().orElseThrow());
      }
    };
  }
}
