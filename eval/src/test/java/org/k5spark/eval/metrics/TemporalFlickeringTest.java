package org.k5spark.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.k5spark.core.video.VideoFrames;
import org.k5spark.eval.SyntheticVideos;

class TemporalFlickeringTest {
  @Test
  void handComputedValue() {
    // pair MAEs 10 and 0 -> mean 5 -> (255 - 5) / 255
    VideoFrames video = SyntheticVideos.constantFrames(2, 4, 24, 0, 10, 10);
    assertEquals(250.0 / 255.0, TemporalFlickering.score(video), 1e-12);
  }

  @Test
  void mixedPixelsUseTheMeanOverAllSamples() {
    // 1x2 frame: samples (0,0,0, 0,0,0) then (30,0,0, 0,0,6): MAE = 36/6 = 6
    byte[] rgb = new byte[12];
    rgb[6] = 30;
    rgb[11] = 6;
    VideoFrames video = new VideoFrames(2, 1, 2, 24, rgb);
    assertEquals((255.0 - 6.0) / 255.0, TemporalFlickering.score(video), 1e-12);
  }

  @Test
  void stillClipIsExactlyOne() {
    MetricResult r = new TemporalFlickering().compute(SyntheticVideos.still(8, 32, 48, 24)).get(0);
    assertEquals("temporal_flickering", r.name());
    assertEquals("model-free", r.estimator());
    assertEquals(1.0, r.number(), 0.0);
  }

  @Test
  void singleFrameIsNotComputed() {
    MetricResult r = new TemporalFlickering().compute(SyntheticVideos.constantFrames(2, 2, 24, 5)).get(0);
    assertFalse(r.computed());
    assertTrue(r.notComputedReason().contains("at least 2 frames"));
  }
}
