package org.k5spark.core.dit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.k5spark.core.engine.TorchRuntime;

/** The FLOAT16 compute path against the fp32 golden (README §2.1: rel L2 <= 2e-2). */
class DitPrecisionTest {
  private static NDManager base;

  @BeforeAll
  static void init() {
    base = TorchRuntime.newManager(Device.cpu());
  }

  @AfterAll
  static void close() {
    base.close();
  }

  @ParameterizedTest
  @CsvSource({"dense_small_bf16,velocity_fp32,sdpa", "dense_small_bf16,velocity_fp32,chunked",
      "nabla_small,velocity,sdpa", "nabla_small,velocity,chunked"})
  void fp16WithinTwoPercentRelL2(String name, String output, String backend) {
    String old = System.getProperty("k5.attention");
    System.setProperty("k5.attention", backend);
    try {
      float[] v = DitNumerics.forwardCase(name, null, DataType.FLOAT16, base);
      float[] ref = DitNumerics.golden(name, output, base);
      double rel = DitNumerics.relL2(v, ref);
      System.out.printf("fp16 %s [%s] rel_l2 vs fp32 golden = %.3e%n", name, backend, rel);
      assertTrue(rel <= 2e-2, "fp16 rel L2 " + rel);
      assertTrue(rel > 0, "fp16 must actually compute in reduced precision");
    } finally {
      if (old == null) {
        System.clearProperty("k5.attention");
      } else {
        System.setProperty("k5.attention", old);
      }
    }
  }
}
