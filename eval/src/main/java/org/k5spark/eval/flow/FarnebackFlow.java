package org.k5spark.eval.flow;

import org.bytedeco.opencv.global.opencv_video;
import org.bytedeco.opencv.opencv_core.Mat;
import org.k5spark.core.video.VideoFrames;

/**
 * OpenCV Farneback dense flow on 8-bit grayscale, the project's reference substitute for RAFT
 * (spec §6.2): pyr_scale 0.5, 3 levels, window 15, 3 iterations, poly_n 5, poly_sigma 1.2, no padding.
 * Smooths across motion boundaries and underestimates displacements of tens of pixels per step.
 */
public final class FarnebackFlow implements OpticalFlowEstimator {
  private final double pyrScale;
  private final int levels;
  private final int winSize;
  private final int iterations;
  private final int polyN;
  private final double polySigma;

  public FarnebackFlow() {
    this(0.5, 3, 15, 3, 5, 1.2);
  }

  public FarnebackFlow(double pyrScale, int levels, int winSize, int iterations, int polyN, double polySigma) {
    this.pyrScale = pyrScale;
    this.levels = levels;
    this.winSize = winSize;
    this.iterations = iterations;
    this.polyN = polyN;
    this.polySigma = polySigma;
  }

  @Override
  public String name() {
    return "farneback";
  }

  @Override
  public FlowField estimate(VideoFrames video, int from, int to) {
    try (Mat prev = OpenCvFrames.gray(video, from); Mat next = OpenCvFrames.gray(video, to); Mat flow = new Mat()) {
      opencv_video.calcOpticalFlowFarneback(prev, next, flow, pyrScale, levels, winSize, iterations, polyN, polySigma, 0);
      int h = video.height();
      int w = video.width();
      return new FlowField(h, w, OpenCvFrames.floats(flow, h * w * 2));
    }
  }
}
