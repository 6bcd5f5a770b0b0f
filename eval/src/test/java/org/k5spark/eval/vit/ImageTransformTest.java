package org.k5spark.eval.vit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.k5spark.core.video.VideoFrames;
import org.k5spark.eval.SyntheticVideos;

class ImageTransformTest {
  @Test
  void bilinearUpsampleMatchesPyTorch() {
    // F.interpolate([[0, 10]], size=4, mode="bilinear", align_corners=False) = [0, 2.5, 7.5, 10]
    float[] out = Resample.resize(new float[] {0, 10}, 1, 1, 2, 1, 4, Resample.Mode.BILINEAR);
    assertArrayEquals(new float[] {0, 2.5f, 7.5f, 10}, out, 1e-6f);
  }

  @Test
  void bicubicUpsampleOvershootsLikePyTorch() {
    // dst 0: source -0.25, taps clamp to [0,0,0,1], weight of the last tap W(1.25) = -0.10546875 with A = -0.75
    float[] out = Resample.resize(new float[] {0, 10}, 1, 1, 2, 1, 4, Resample.Mode.BICUBIC);
    assertEquals(-1.0546875, out[0], 1e-6);
    assertEquals(11.0546875, out[3], 1e-6);
    assertEquals(10.0, out[1] + out[2], 1e-5); // symmetric pair
    double[] w = Resample.cubicWeights(0.3);
    assertEquals(1.0, w[0] + w[1] + w[2] + w[3], 1e-12);
  }

  @Test
  void identitySizeKeepsPixels() {
    float[] src = {1, 2, 3, 4, 5, 6};
    assertArrayEquals(src, Resample.resize(src, 1, 2, 3, 2, 3, Resample.Mode.BICUBIC), 1e-6f);
    assertArrayEquals(src, Resample.resize(src, 1, 2, 3, 2, 3, Resample.Mode.BILINEAR), 1e-6f);
  }

  @Test
  void outputSizesFollowVBenchTransforms() {
    assertArrayEquals(new int[] {224, 336}, ImageTransform.dino(224).outputSize(512, 768)); // aspect kept, no crop
    assertArrayEquals(new int[] {224, 224}, ImageTransform.clip(224).outputSize(512, 768));
    assertArrayEquals(new int[] {297, 224}, ImageTransform.clip(224).resizedSize(480, 361)); // int(297.8): truncation
  }

  @Test
  void normalisedValuesStayInTheChannelRanges() {
    VideoFrames v = SyntheticVideos.noise(1, 30, 40, 24, 5);
    for (ImageTransform t : new ImageTransform[] {ImageTransform.dino(16), ImageTransform.clip(16)}) {
      float[] out = t.apply(v, 0);
      int[] hw = t.outputSize(30, 40);
      assertEquals(3 * hw[0] * hw[1], out.length);
      int plane = hw[0] * hw[1];
      for (int c = 0; c < 3; c++) {
        float lo = (0 - t.mean()[c]) / t.std()[c];
        float hi = (1 - t.mean()[c]) / t.std()[c];
        for (int i = 0; i < plane; i++) {
          float x = out[c * plane + i];
          if (x < lo - 1e-5 || x > hi + 1e-5) {
            throw new AssertionError("channel " + c + " value " + x + " outside [" + lo + ", " + hi + "]");
          }
        }
      }
    }
  }

  @Test
  void uint8RoundingAndCentreCrop() {
    // constant 100 frame: every output sample is exactly (100/255 - mean) / std
    VideoFrames v = SyntheticVideos.constantFrames(20, 30, 24, 100);
    ImageTransform clip = ImageTransform.clip(10);
    float[] out = clip.apply(v, 0);
    assertEquals(3 * 10 * 10, out.length);
    assertEquals((100 / 255f - clip.mean()[1]) / clip.std()[1], out[150], 1e-6);
  }
}
