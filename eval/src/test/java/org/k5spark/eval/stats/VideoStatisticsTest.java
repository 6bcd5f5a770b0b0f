package org.k5spark.eval.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.k5spark.core.video.VideoFrames;
import org.k5spark.eval.SyntheticVideos;
import org.k5spark.eval.metrics.MetricResult;

class VideoStatisticsTest {
  private static Map<String, MetricResult> stats(VideoFrames video) {
    return new VideoStatistics().compute(video).stream().collect(Collectors.toMap(MetricResult::name, Function.identity()));
  }

  @Test
  void hardCutIsDetectedOnce() {
    Map<String, MetricResult> s = stats(SyntheticVideos.hardCut(20, 48, 64, 24, 12));
    assertEquals(1, (Integer) s.get("scene_cuts").value());
    assertEquals(List.of(12), s.get("scene_cuts").details().get("first_frames_of_new_shots"));
    // every frame but the first of each shot repeats its predecessor
    assertEquals(18, (Integer) s.get("frozen_frames").value());
  }

  @Test
  void motionAndNoiseAreNotCuts() {
    assertEquals(0, (Integer) stats(SyntheticVideos.movingSquare(20, 64, 96, 24, 24, 4, 20, 3, 0)).get("scene_cuts").value());
    assertEquals(0, (Integer) stats(SyntheticVideos.noise(20, 48, 64, 24, 3)).get("scene_cuts").value());
    assertEquals(0, (Integer) stats(SyntheticVideos.noise(20, 48, 64, 24, 3)).get("frozen_frames").value());
  }

  @Test
  void blackFramesAreCounted() {
    Map<String, MetricResult> s = stats(SyntheticVideos.constantFrames(8, 8, 24, 0, 128, 5, 128, 128));
    assertEquals(2, (Integer) s.get("black_frames").value());
    assertEquals(1, (Integer) s.get("frozen_frames").value()); // frame 4 repeats frame 3
    assertEquals(List.of(4), s.get("frozen_frames").details().get("frames"));
  }

  @Test
  void brightnessContrastAndFormat() {
    Map<String, MetricResult> s = stats(SyntheticVideos.constantFrames(4, 6, 24, 51, 102));
    assertEquals((51 + 102) / 2.0 / 255.0, s.get("brightness").number(), 1e-5);
    assertEquals(0.0, s.get("contrast").number(), 1e-5);
    assertEquals(0.0, s.get("sharpness").number(), 1e-5);
    assertEquals(2, (Integer) s.get("frame_count").value());
    assertEquals(24.0, s.get("fps").number(), 0.0);
    assertEquals("6x4", s.get("resolution").value());
  }

  @Test
  void laplacianVarianceOfACheckerboard() {
    // 4x4 checkerboard 0/255: interior laplacians +-1020, mean 0 -> variance 1020^2
    float[] luma = new float[16];
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        luma[y * 4 + x] = (x + y) % 2 == 0 ? 255 : 0;
      }
    }
    assertEquals(1020.0 * 1020.0, FrameStatistics.laplacianVariance(luma, 4, 4), 1e-6);
  }

  @Test
  void contrastOfTwoLevelFrame() {
    // half 0, half 200 (grey): luma std = 100
    byte[] rgb = new byte[2 * 2 * 3];
    for (int i = 6; i < 12; i++) {
      rgb[i] = (byte) 200;
    }
    FrameStatistics fs = FrameStatistics.of(new VideoFrames(1, 2, 2, 24, rgb), 0);
    assertEquals(100.0, fs.meanLuma(), 1e-4);
    assertEquals(100.0, fs.stdLuma(), 1e-4);
  }
}
