package org.k5spark.eval.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.k5spark.core.video.VideoFrames;

/** PSNR / SSIM with closed-form answers. */
class VideoFidelityTest {
  private static VideoFrames constant(int frames, int h, int w, int value) {
    byte[] rgb = new byte[frames * h * w * 3];
    Arrays.fill(rgb, (byte) value);
    return new VideoFrames(frames, h, w, 24, rgb);
  }

  @Test
  void identicalVideosHaveInfinitePsnrAndSsimOne() {
    byte[] noise = new byte[3 * 32 * 40 * 3];
    new Random(1).nextBytes(noise);
    VideoFrames v = new VideoFrames(3, 32, 40, 24, noise);
    VideoFidelity f = VideoFidelity.of(v, new VideoFrames(3, 32, 40, 24, noise.clone()));
    assertEquals(Double.POSITIVE_INFINITY, f.psnrDb());
    assertEquals(1.0, f.ssim(), 1e-6);
    assertEquals(0.0, f.meanAbsDiff());
  }

  @Test
  void constantOffsetGivesTheClosedFormValues() {
    // every sample differs by 10: MSE 100, PSNR = 10 log10(255^2 / 100)
    VideoFidelity f = VideoFidelity.of(constant(2, 24, 24, 100), constant(2, 24, 24, 110));
    assertEquals(10 * Math.log10(255.0 * 255.0 / 100), f.psnrDb(), 1e-9);
    assertEquals(28.1308, f.psnrDb(), 1e-4);
    assertEquals(10.0, f.meanAbsDiff());
    // flat frames: no variance, so SSIM is the luminance term (2ab + C1) / (a^2 + b^2 + C1)
    double c1 = Math.pow(0.01 * 255, 2);
    assertEquals((2 * 100.0 * 110 + c1) / (100.0 * 100 + 110.0 * 110 + c1), f.ssim(), 1e-5);
  }

  @Test
  void structureLossLowersSsimMoreThanABrightnessShift() {
    byte[] a = new byte[64 * 64 * 3];
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        Arrays.fill(a, (y * 64 + x) * 3, (y * 64 + x) * 3 + 3, (byte) (((x / 8 + y / 8) % 2) * 200 + 20));
      }
    }
    VideoFrames checker = new VideoFrames(1, 64, 64, 24, a);
    byte[] shifted = a.clone();
    for (int i = 0; i < shifted.length; i++) {
      shifted[i] = (byte) ((shifted[i] & 0xff) + 10);
    }
    double shift = VideoFidelity.of(checker, new VideoFrames(1, 64, 64, 24, shifted)).ssim();
    double flat = VideoFidelity.of(checker, constant(1, 64, 64, 120)).ssim();
    assertTrue(shift > 0.95 && flat < 0.2, "shift " + shift + ", flat " + flat);
  }

  @Test
  void differentShapesAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> VideoFidelity.of(constant(2, 8, 8, 0), constant(3, 8, 8, 0)));
    assertTrue(e.getMessage().contains("2x8x8") && e.getMessage().contains("3x8x8"), e.getMessage());
  }
}
