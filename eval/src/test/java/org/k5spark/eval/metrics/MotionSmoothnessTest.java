package org.k5spark.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.k5spark.core.video.VideoFrames;
import org.k5spark.eval.SyntheticVideos;
import org.k5spark.eval.flow.FlowWarpInterpolator;
import org.k5spark.eval.flow.FrameInterpolator;
import org.k5spark.eval.flow.LinearBlendInterpolator;
import org.k5spark.eval.flow.Unavailable;

class MotionSmoothnessTest {
  @Test
  void handComputedValueWithLinearBlend() {
    // K = F0(0), F2(20); midpoint floor(20/2) = 10 vs F1 = 30 -> MAE 20
    VideoFrames video = SyntheticVideos.constantFrames(2, 2, 24, 0, 30, 20);
    assertEquals((255.0 - 20.0) / 255.0, MotionSmoothness.score(video, new LinearBlendInterpolator()), 1e-12);
  }

  @Test
  void lastFrameOfAnEvenCountIsIgnored() {
    double a = MotionSmoothness.score(SyntheticVideos.constantFrames(2, 2, 24, 0, 30, 20, 0), new LinearBlendInterpolator());
    double b = MotionSmoothness.score(SyntheticVideos.constantFrames(2, 2, 24, 0, 30, 20, 255), new LinearBlendInterpolator());
    assertEquals((255.0 - 20.0) / 255.0, a, 1e-12);
    assertEquals(a, b, 0.0);
  }

  @Test
  void averagesOverMidpoints() {
    // midpoints: (0,20)->10 vs 30: 20; (20,21)->20 vs 20: 0; mean 10
    VideoFrames video = SyntheticVideos.constantFrames(2, 2, 24, 0, 30, 20, 20, 21);
    assertEquals((255.0 - 10.0) / 255.0, MotionSmoothness.score(video, new LinearBlendInterpolator()), 1e-12);
  }

  @Test
  void interpolatesBetweenEvenFrames() {
    List<int[]> calls = new ArrayList<>();
    FrameInterpolator recording = new FrameInterpolator() {
      @Override
      public String name() {
        return "recording";
      }

      @Override
      public byte[] midpoint(VideoFrames video, int a, int b) {
        calls.add(new int[] {a, b});
        return new byte[video.frameBytes()];
      }
    };
    new MotionSmoothness(recording).compute(SyntheticVideos.constantFrames(2, 2, 24, new int[7]));
    assertEquals(3, calls.size());
    assertEquals(List.of("0-2", "2-4", "4-6"), calls.stream().map(c -> c[0] + "-" + c[1]).toList());
  }

  @Test
  void stillClipIsPerfectlySmooth() {
    MetricResult r = new MotionSmoothness(new FlowWarpInterpolator()).compute(SyntheticVideos.still(9, 48, 64, 24)).get(0);
    assertEquals("motion_smoothness", r.name());
    assertEquals("farneback_warp", r.estimator());
    assertEquals(1.0, r.number(), 1e-3);
  }

  @Test
  void noWeightsForAmtIsNotComputed() {
    MetricResult r = new MotionSmoothness(Unavailable.amt()).compute(SyntheticVideos.still(9, 16, 16, 24)).get(0);
    assertFalse(r.computed());
    assertEquals("amt-s", r.estimator());
    assertTrue(r.notComputedReason().startsWith("no weights"));
  }
}
