package org.k5spark.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.k5spark.core.video.VideoFrames;
import org.k5spark.eval.SyntheticVideos;
import org.k5spark.eval.flow.FarnebackFlow;
import org.k5spark.eval.flow.FlowField;
import org.k5spark.eval.flow.OpticalFlowEstimator;
import org.k5spark.eval.flow.Unavailable;

class DynamicDegreeTest {
  @Test
  void intervalUsesHalfToEvenRounding() {
    assertEquals(3, DynamicDegree.interval(24));
    assertEquals(3, DynamicDegree.interval(25));
    assertEquals(4, DynamicDegree.interval(30));
    assertEquals(2, DynamicDegree.interval(16));
    assertEquals(2, DynamicDegree.interval(20)); // round(2.5) == 2
    assertEquals(2, DynamicDegree.interval(12)); // round(1.5) == 2
    assertEquals(1, DynamicDegree.interval(8));
    assertEquals(1, DynamicDegree.interval(4)); // round(0.5) == 0 -> max(1, 0)
  }

  @Test
  void thresholdAndCountFollowVBench() {
    assertEquals(6.0, DynamicDegree.threshold(256, 400), 1e-12);
    assertEquals(12.0, DynamicDegree.threshold(512, 768), 1e-12);
    assertEquals(16.875, DynamicDegree.threshold(1280, 720), 1e-12);
    assertEquals(10, DynamicDegree.countNum(41)); // 121 frames at 24 fps
    assertEquals(2, DynamicDegree.countNum(8));
    assertEquals(0, DynamicDegree.countNum(2)); // round(0.5) == 0
    assertEquals(2, DynamicDegree.countNum(6)); // round(1.5) == 2
  }

  @Test
  void checkMoveCountsPairsOverThreshold() {
    assertTrue(DynamicDegree.isDynamic(new double[] {7, 1, 7}, 6, 2));
    assertFalse(DynamicDegree.isDynamic(new double[] {7, 1, 6}, 6, 2)); // strictly greater
    assertTrue(DynamicDegree.isDynamic(new double[] {0.1}, 6, 0)); // count_num 0: any pair suffices
    assertFalse(DynamicDegree.isDynamic(new double[] {}, 6, 0)); // one sampled frame: no pair
  }

  /** A fake estimator that records which frame pairs are asked for and returns a fixed displacement. */
  private static final class FixedFlow implements OpticalFlowEstimator {
    final List<int[]> calls = new ArrayList<>();
    final float u;

    FixedFlow(float u) {
      this.u = u;
    }

    @Override
    public String name() {
      return "fixed";
    }

    @Override
    public FlowField estimate(VideoFrames video, int from, int to) {
      calls.add(new int[] {from, to});
      float[] uv = new float[video.height() * video.width() * 2];
      for (int i = 0; i < uv.length; i += 2) {
        uv[i] = u;
      }
      return new FlowField(video.height(), video.width(), uv);
    }
  }

  @Test
  void samplesEveryIntervalthFrame() {
    FixedFlow flow = new FixedFlow(1.0f);
    VideoFrames video = SyntheticVideos.constantFrames(64, 64, 24, new int[22]);
    MetricResult r = new DynamicDegree(flow).compute(video).get(0);
    // 22 frames at 24 fps: frames 0,3,...,21 (8 frames), 7 pairs, count_num 2; threshold 1.5 px > 1.0 px
    assertEquals(7, flow.calls.size());
    assertEquals(0, flow.calls.get(0)[0]);
    assertEquals(3, flow.calls.get(0)[1]);
    assertEquals(21, flow.calls.get(6)[1]);
    assertFalse(r.flag());
    assertEquals("fixed", r.estimator());
    assertEquals(1.5, (Double) r.details().get("threshold_px"), 1e-12);
    assertTrue(new DynamicDegree(new FixedFlow(1.6f)).compute(video).get(0).flag());
  }

  @Test
  void stillClipIsNotDynamic() {
    MetricResult r = new DynamicDegree(new FarnebackFlow()).compute(SyntheticVideos.still(24, 96, 128, 24)).get(0);
    assertEquals("dynamic_degree", r.name());
    assertEquals("farneback", r.estimator());
    assertFalse(r.flag());
  }

  @Test
  void movingSquareIsDynamic() {
    // 2 px/frame -> 6 px per sampled step at 24 fps; threshold 6*128/256 = 3 px
    VideoFrames video = SyntheticVideos.movingSquare(24, 128, 128, 24, 48, 10, 40, 2, 0);
    MetricResult r = new DynamicDegree(new FarnebackFlow()).compute(video).get(0);
    assertTrue(r.flag());
    assertEquals(7, r.details().get("pairs_over_threshold"));
    assertEquals(6.0, (Double) r.details().get("max_pair_score_px"), 0.6);
  }

  @Test
  void slowSquareBelowThresholdIsNotDynamic() {
    // 8 fps -> every frame sampled; 1 px per step is under the 3 px threshold
    VideoFrames video = SyntheticVideos.movingSquare(24, 128, 128, 8, 48, 10, 40, 1, 0);
    MetricResult r = new DynamicDegree(new FarnebackFlow()).compute(video).get(0);
    assertFalse(r.flag());
    assertEquals(23, (Integer) r.details().get("sampled_frames") - 1);
    assertEquals(1.0, (Double) r.details().get("max_pair_score_px"), 0.1);
  }

  @Test
  void learnedEstimatorWithoutWeightsIsNotComputed() {
    MetricResult r = new DynamicDegree(Unavailable.raft("expected raft-things.safetensors")).compute(SyntheticVideos.still(4, 16, 16, 24)).get(0);
    assertFalse(r.computed());
    assertEquals("raft", r.estimator());
    assertTrue(r.notComputedReason().startsWith("no weights"));
  }
}
