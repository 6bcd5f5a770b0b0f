package org.k5spark.eval.fidelity;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.k5spark.core.video.VideoFrames;
import org.k5spark.eval.flow.OpenCvFrames;

/**
 * How close a video is to a reference rendering of the same prompt and seed: the measures cache and
 * precision papers (MagCache, TeaCache) report for a speed option against the exact sampler.
 * PSNR over every RGB sample of the video (one MSE, so a video with some identical frames stays finite);
 * SSIM on luma per frame (Wang et al. 2004: Gaussian window 11, sigma 1.5, K1 0.01, K2 0.03, the recipe of
 * OpenCV's similarity tutorial), averaged over frames.
 *
 * @param psnrDb +Infinity for identical videos
 */
public record VideoFidelity(int frames, double psnrDb, double ssim, double meanAbsDiff) {
  private static final double C1 = Math.pow(0.01 * 255, 2);
  private static final double C2 = Math.pow(0.03 * 255, 2);

  public static VideoFidelity of(VideoFrames reference, VideoFrames candidate) {
    if (reference.frames() != candidate.frames() || reference.height() != candidate.height()
        || reference.width() != candidate.width()) {
      throw new IllegalArgumentException("videos differ in shape: reference " + shape(reference) + ", candidate "
          + shape(candidate));
    }
    byte[] a = reference.rgb();
    byte[] b = candidate.rgb();
    long sq = 0;
    long abs = 0;
    for (int i = 0; i < a.length; i++) {
      int d = (a[i] & 0xff) - (b[i] & 0xff);
      sq += (long) d * d;
      abs += Math.abs(d);
    }
    double mse = (double) sq / a.length;
    double psnr = sq == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    double ssim = 0;
    for (int f = 0; f < reference.frames(); f++) {
      ssim += ssim(reference, candidate, f) / reference.frames();
    }
    return new VideoFidelity(reference.frames(), psnr, ssim, (double) abs / a.length);
  }

  private static String shape(VideoFrames v) {
    return v.frames() + "x" + v.height() + "x" + v.width();
  }

  /** Mean SSIM of one frame's luma. */
  static double ssim(VideoFrames reference, VideoFrames candidate, int frame) {
    try (Mat g1 = OpenCvFrames.gray(reference, frame); Mat g2 = OpenCvFrames.gray(candidate, frame);
        Mat x = new Mat(); Mat y = new Mat(); Mat xx = new Mat(); Mat yy = new Mat(); Mat xy = new Mat();
        Mat mx = new Mat(); Mat my = new Mat(); Mat sxx = new Mat(); Mat syy = new Mat(); Mat sxy = new Mat();
        Mat num = new Mat(); Mat den = new Mat(); Mat t = new Mat(); Mat map = new Mat(); Size win = new Size(11, 11)) {
      g1.convertTo(x, CV_32F);
      g2.convertTo(y, CV_32F);
      opencv_core.multiply(x, x, xx);
      opencv_core.multiply(y, y, yy);
      opencv_core.multiply(x, y, xy);
      blur(x, mx, win);
      blur(y, my, win);
      blur(xx, sxx, win);
      blur(yy, syy, win);
      blur(xy, sxy, win);
      // variances and covariance: E[x^2] - mu^2 etc., computed in place
      try (Mat mx2 = new Mat(); Mat my2 = new Mat(); Mat mxy = new Mat()) {
        opencv_core.multiply(mx, mx, mx2);
        opencv_core.multiply(my, my, my2);
        opencv_core.multiply(mx, my, mxy);
        opencv_core.subtract(sxx, mx2, sxx);
        opencv_core.subtract(syy, my2, syy);
        opencv_core.subtract(sxy, mxy, sxy);
        // (2 mu_x mu_y + C1)(2 sigma_xy + C2) / ((mu_x^2 + mu_y^2 + C1)(sigma_x^2 + sigma_y^2 + C2))
        mxy.convertTo(num, -1, 2, C1);
        sxy.convertTo(t, -1, 2, C2);
        opencv_core.multiply(num, t, num);
        opencv_core.add(mx2, my2, den);
        den.convertTo(den, -1, 1, C1);
        opencv_core.add(sxx, syy, t);
        t.convertTo(t, -1, 1, C2);
        opencv_core.multiply(den, t, den);
        opencv_core.divide(num, den, map);
      }
      return opencv_core.mean(map).get(0);
    }
  }

  private static void blur(Mat src, Mat dst, Size win) {
    opencv_imgproc.GaussianBlur(src, dst, win, 1.5);
  }
}
