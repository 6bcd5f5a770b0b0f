package org.k5spark.eval.flow;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;

import java.util.Optional;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.k5spark.core.video.VideoFrames;

/**
 * Flow-based midpoint (spec §6.3, "flow-based"): flow both ways, each frame warped half-way by
 * backward bilinear remap with replicated borders, then {@code floor((wa + wb) / 2)}. Closer to AMT-S than a
 * blend on smooth translation; no occlusion reasoning, so it is worse at motion boundaries.
 */
public final class FlowWarpInterpolator implements FrameInterpolator {
  private final OpticalFlowEstimator flow;

  public FlowWarpInterpolator(OpticalFlowEstimator flow) {
    this.flow = flow;
  }

  public FlowWarpInterpolator() {
    this(new FarnebackFlow());
  }

  @Override
  public String name() {
    return flow.name() + "_warp";
  }

  @Override
  public Optional<String> unavailableReason() {
    return flow.unavailableReason();
  }

  @Override
  public byte[] midpoint(VideoFrames video, int a, int b) {
    byte[] wa = warpHalfway(video, a, flow.estimate(video, a, b));
    byte[] wb = warpHalfway(video, b, flow.estimate(video, b, a));
    byte[] out = new byte[wa.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (((wa[i] & 0xff) + (wb[i] & 0xff)) >> 1);
    }
    return out;
  }

  /** Samples {@code frame} at {@code p - 0.5 * flow(p)} for every pixel p. */
  private static byte[] warpHalfway(VideoFrames video, int frame, FlowField f) {
    int h = video.height();
    int w = video.width();
    float[] mx = new float[h * w];
    float[] my = new float[h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        mx[i] = x - 0.5f * f.uv()[2 * i];
        my[i] = y - 0.5f * f.uv()[2 * i + 1];
      }
    }
    try (Mat src = OpenCvFrames.rgb(video, frame); Mat mapX = new Mat(h, w, CV_32FC1); Mat mapY = new Mat(h, w, CV_32FC1);
        Mat dst = new Mat(); Scalar border = new Scalar()) {
      new FloatPointer(mapX.data()).put(mx);
      new FloatPointer(mapY.data()).put(my);
      opencv_imgproc.remap(src, dst, mapX, mapY, opencv_imgproc.INTER_LINEAR, opencv_core.BORDER_REPLICATE, border);
      return OpenCvFrames.bytes(dst, video.frameBytes());
    }
  }
}
