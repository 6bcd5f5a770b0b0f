package org.k5spark.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.k5spark.core.engine.TorchRuntime;

class ParityDeviceTest {
  private static java.nio.file.Path caseDir() {
    try {
      return java.nio.file.Path.of(ParityDeviceTest.class.getResource("/golden/dit/dense_small/case.json").toURI()).getParent();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void gpuOnTheCpuBuildIsOneLineAndUsage() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldErr = System.err;
    int rc;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      rc = ParityCommand.run(caseDir(), 0, "gpu", new PrintStream(out, true, StandardCharsets.UTF_8));
    } finally {
      System.setErr(oldErr);
    }
    if (TorchRuntime.cudaDeviceCount() > 0) {
      assertEquals(ExitCode.OK, rc); // a GPU CI: the case runs on it
      return;
    }
    assertEquals(ExitCode.USAGE, rc);
    assertEquals("", out.toString(StandardCharsets.UTF_8));
    String expected = TorchRuntime.cudaBuild()
        ? "k5 parity: --device gpu: no CUDA device: no NVIDIA driver on this host (/proc/driver/nvidia/version absent)\n"
        : "k5 parity: --device gpu: no CUDA device: this build's libtorch is the CPU one (build with -Pgpu; see docs/gpu.md)\n";
    assertEquals(expected, err.toString(StandardCharsets.UTF_8));
  }
}
