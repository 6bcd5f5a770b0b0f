package org.k5spark.eval.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.k5spark.core.video.VideoFrames;
import org.k5spark.eval.SyntheticVideos;

class FarnebackFlowTest {
  @Test
  void movingSquareFlowMatchesTrueDisplacement() {
    // 2 px/frame right, 1 px/frame down; frames 0 -> 3 is the 24 fps dynamic_degree step: (6, 3) px
    VideoFrames video = SyntheticVideos.movingSquare(4, 128, 128, 24, 48, 30, 36, 2, 1);
    FlowField flow = new FarnebackFlow().estimate(video, 0, 3);
    double sumU = 0;
    double sumV = 0;
    double sumMag = 0;
    int n = 0;
    // interior of the square in frame 0, away from its edges where flow bleeds into the static background
    for (int y = 36 + 8; y < 36 + 48 - 8; y++) {
      for (int x = 30 + 8; x < 30 + 48 - 8; x++) {
        sumU += flow.u(y, x);
        sumV += flow.v(y, x);
        sumMag += Math.hypot(flow.u(y, x), flow.v(y, x));
        n++;
      }
    }
    double trueMag = Math.hypot(6, 3);
    System.out.printf("farneback square: mean u %.3f v %.3f |flow| %.3f (true 6, 3, %.3f)%n", sumU / n, sumV / n, sumMag / n, trueMag);
    assertEquals(trueMag, sumMag / n, 0.1 * trueMag);
    assertEquals(6.0, sumU / n, 0.6);
    assertEquals(3.0, sumV / n, 0.3);
    // the static background far from the square does not move
    assertEquals(0.0, Math.hypot(flow.u(5, 120), flow.v(5, 120)), 0.05);
  }

  @Test
  void stillFramesHaveZeroFlow() {
    VideoFrames video = SyntheticVideos.still(2, 64, 96, 24);
    FlowField flow = new FarnebackFlow().estimate(video, 0, 1);
    assertEquals(64, flow.height());
    assertEquals(96, flow.width());
    // Farneback leaves a few hundredths of a pixel at the borders of identical frames
    assertEquals(0.0, flow.topFractionMean(0.05), 0.1);
  }

  @Test
  void topFractionMeanAveragesTheLargestMagnitudes() {
    // 2x10 field: magnitudes 5 (3,4), 2, 1 and zeros
    float[] uv = new float[40];
    uv[0] = 3;
    uv[1] = 4;
    uv[2 * 7] = 0;
    uv[2 * 7 + 1] = -2;
    uv[2 * 13] = 1;
    FlowField flow = new FlowField(2, 10, uv);
    assertEquals(5.0, flow.topFractionMean(0.05), 1e-6); // (int)(20*0.05) = 1
    assertEquals(3.5, flow.topFractionMean(0.10), 1e-6); // (5+2)/2
    assertEquals(8.0 / 3, flow.topFractionMean(0.15), 1e-6); // (5+2+1)/3
    assertEquals(0.0, flow.topFractionMean(0.01), 0.0); // (int)(0.2) = 0 pixels
  }

  @Test
  void linearBlendIsFlooredMean() {
    VideoFrames video = SyntheticVideos.constantFrames(2, 2, 24, 0, 255, 10);
    byte[] mid = new LinearBlendInterpolator().midpoint(video, 0, 1);
    assertEquals(127, mid[0] & 0xff); // floor(255/2)
    byte[] mid2 = new LinearBlendInterpolator().midpoint(video, 1, 2);
    assertEquals(132, mid2[5] & 0xff); // floor(265/2)
  }

  @Test
  void flowWarpRecoversTheMiddleFrameOfATranslation() {
    VideoFrames video = SyntheticVideos.movingSquare(3, 96, 96, 24, 40, 20, 24, 2, 0);
    byte[] warped = new FlowWarpInterpolator().midpoint(video, 0, 2);
    byte[] blended = new LinearBlendInterpolator().midpoint(video, 0, 2);
    int n = video.frameBytes();
    double warpErr = org.k5spark.eval.metrics.PixelDiff.meanAbsDiff(video.rgb(), n, warped, 0, n);
    double blendErr = org.k5spark.eval.metrics.PixelDiff.meanAbsDiff(video.rgb(), n, blended, 0, n);
    System.out.printf("midpoint MAE: flow warp %.3f, linear blend %.3f%n", warpErr, blendErr);
    assertTrue(warpErr < 0.5 * blendErr, "warp " + warpErr + " blend " + blendErr);
  }
}
