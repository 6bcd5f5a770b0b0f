package org.k5spark.eval.metrics;

/** Mean absolute difference of uint8 samples (cv2.absdiff + mean), exact in integers. */
public final class PixelDiff {
  private PixelDiff() {
  }

  public static double meanAbsDiff(byte[] a, int offsetA, byte[] b, int offsetB, int length) {
    long sum = 0;
    for (int i = 0; i < length; i++) {
      sum += Math.abs((a[offsetA + i] & 0xff) - (b[offsetB + i] & 0xff));
    }
    return (double) sum / length;
  }
}
