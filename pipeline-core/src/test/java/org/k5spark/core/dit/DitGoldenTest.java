package org.k5spark.core.dit;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.k5spark.core.engine.TorchRuntime;

/** Every golden dit_forward and sampler case, with both attention backends. */
class DitGoldenTest {
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
  @CsvSource({"dense_small,chunked", "dense_small,sdpa", "dense_small_bf16,chunked", "dense_small_bf16,sdpa",
      "sampler_cfg,chunked", "sampler_cfg,sdpa", "sampler_nocfg,chunked", "sampler_nocfg,sdpa",
      "nabla_small,chunked", "nabla_small,sdpa"})
  void passes(String name, String backend) {
    GoldenCases.assertPasses(name, backend, base);
  }
}
