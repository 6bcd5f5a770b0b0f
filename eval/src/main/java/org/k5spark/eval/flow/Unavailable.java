package org.k5spark.eval.flow;

import java.util.Optional;
import org.k5spark.core.video.VideoFrames;

/**
 * The learned estimators VBench uses (RAFT for flow, AMT-S for interpolation): hooks only, until their
 * weights are ported. Metrics that get one report "not computed" with the reason instead of a number.
 */
public final class Unavailable {
  private Unavailable() {
  }

  public static OpticalFlowEstimator raft() {
    return new OpticalFlowEstimator() {
      @Override
      public String name() {
        return "raft";
      }

      @Override
      public Optional<String> unavailableReason() {
        return Optional.of("no weights (RAFT raft-things.pth not ported)");
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
