package org.k5spark.eval.flow;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.k5spark.core.video.VideoFrames;

/** Copies between {@link VideoFrames} and native OpenCV Mats (caller closes the Mats). */
public final class OpenCvFrames {
  private OpenCvFrames() {
  }

  public static Mat rgb(VideoFrames video, int frame) {
    Mat mat = new Mat(video.height(), video.width(), CV_8UC3);
    new BytePointer(mat.data()).put(video.rgb(), frame * video.frameBytes(), video.frameBytes());
    return mat;
  }

  /** 8-bit grayscale with OpenCV's RGB2GRAY weights, as VBench's Farneback reference does. */
  public static Mat gray(VideoFrames video, int frame) {
    try (Mat rgb = rgb(video, frame)) {
      Mat gray = new Mat();
      opencv_imgproc.cvtColor(rgb, gray, opencv_imgproc.COLOR_RGB2GRAY);
      return gray;
    }
  }

  public static float[] floats(Mat mat, int count) {
    float[] out = new float[count];
    new FloatPointer(mat.data()).get(out);
    return out;
  }

  public static byte[] bytes(Mat mat, int count) {
    byte[] out = new byte[count];
    mat.data().get(out);
    return out;
  }
}
