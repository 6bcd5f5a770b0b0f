package org.k5spark.core.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.k5spark.core.dit.VisualBlockSkip;
import org.k5spark.core.engine.TorchRuntime;

/** MagCalibration on residuals with known norms: the ratios are the mean per-token norm ratios. */
class MagCalibrationTest {
  /** Per token (row) norms: token 0 = 5 (3,4), token 1 = 1 (1,0), scaled per call. */
  private static NDArray residual(NDManager m, float s0, float s1) {
    return m.create(new float[] {3 * s0, 4 * s0, s1, 0}, new Shape(2, 2));
  }

  @Test
  void guidedRatiosAreMeanTokenNormRatiosPerBranch() {
    try (NDManager m = TorchRuntime.newManager(Device.cpu())) {
      MagCalibration cal = new MagCalibration();
      // per step: cond, uncond (token-0 scale, token-1 scale)
      float[][] scales = {{1, 1}, {2, 1}, {2, 4}, {1, 1}, {4, 2}, {1, 1}};
      try (BlockSkipping.Run run = cal.start(3, true, m)) {
        for (float[] s : scales) {
          VisualBlockSkip k = run.nextCall();
          assertNull(k.residualToReuse(), "calibration never skips");
          k.computed(residual(m, s[0], s[1]));
        }
        assertEquals(0, run.skipped());
      }
      // cond: step1 tokens (2/1, 4/1) -> 3.0; step2 (4/2, 2/4) -> 1.25
      // uncond: step1 (1/2, 1/1) -> 0.75; step2 (1/1, 1/1) -> 1.0
      assertArrayEquals(new double[] {3.0, 0.75, 1.25, 1.0}, cal.ratios(), 1e-6);
      assertEquals(1, cal.generations());
    }
  }

  @Test
  void unguidedRunsRepeatCondRatiosAndGenerationsAreAveraged() {
    try (NDManager m = TorchRuntime.newManager(Device.cpu())) {
      MagCalibration cal = new MagCalibration();
      for (float step1 : new float[] {2, 4}) {
        try (BlockSkipping.Run run = cal.start(2, false, m)) {
          run.nextCall().computed(residual(m, 1, 1));
          run.nextCall().computed(residual(m, step1, step1));
        }
      }
      assertArrayEquals(new double[] {3.0, 3.0}, cal.ratios(), 1e-6);
      assertThrows(IllegalArgumentException.class, () -> cal.start(5, false, m), "one step count per calibration");
    }
  }

  @Test
  void anUnfinishedGenerationIsNotCounted() {
    try (NDManager m = TorchRuntime.newManager(Device.cpu())) {
      MagCalibration cal = new MagCalibration();
      try (BlockSkipping.Run run = cal.start(2, true, m)) {
        run.nextCall().computed(residual(m, 1, 1));
      }
      assertThrows(IllegalStateException.class, cal::ratios);
    }
  }
}
