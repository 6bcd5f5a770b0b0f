package org.k5spark.benchmark.e2e;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.k5spark.core.engine.TorchRuntime;

/**
 * A measured stand-in for "peak FLOP/s" when none is given: the best of a few square matmuls in the DiT's
 * compute dtype (float32 on CPU, float16 on GPU). It is an achievable peak of this libtorch build on this
 * (possibly shared) machine, so MFU against it reads high compared with a datasheet peak.
 */
public final class MatmulProbe {
  private MatmulProbe() {}

  /** Best FLOP/s over {@code repeats} n x n matmuls after one warm-up. */
  public static double peakFlops(Device device, int n, int repeats) {
    DataType t = device.isGpu() ? DataType.FLOAT16 : DataType.FLOAT32;
    try (NDManager m = TorchRuntime.newManager(device)) {
      NDArray a = m.randomUniform(-1, 1, new Shape(n, n)).toType(t, false);
      NDArray b = m.randomUniform(-1, 1, new Shape(n, n)).toType(t, false);
      double best = Double.MAX_VALUE;
      for (int i = 0; i <= repeats; i++) {
        try (NDManager call = m.newSubManager()) {
          a.tempAttach(call);
          long t0 = System.nanoTime();
          NDArray c = a.matMul(b);
          c.get(0, 0).toType(DataType.FLOAT32, false).getFloat(); // device sync
          double s = (System.nanoTime() - t0) / 1e9;
          if (i > 0) {
            best = Math.min(best, s);
          }
        }
      }
      return Mfu.matmulFlops(n) / best;
    }
  }
}
