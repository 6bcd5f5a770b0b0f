package org.k5spark.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** benchmark/gpu-acceptance.sh as a user runs it: a real bash subprocess, on a host whose nvidia-smi is absent. */
class GpuAcceptanceScriptTest {
  private static final Path SCRIPT = Path.of("gpu-acceptance.sh").toAbsolutePath(); // surefire runs in benchmark/

  private static Process run(String... args) throws Exception {
    String[] cmd = new String[args.length + 2];
    cmd[0] = "bash";
    cmd[1] = SCRIPT.toString();
    System.arraycopy(args, 0, cmd, 2, args.length);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("NVIDIA_SMI", "/nonexistent/nvidia-smi"); // no GPU, whatever this host has
    Process p = pb.start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return p;
  }

  @Test
  void dryRunStopsAtNoGpuWithExit2() throws Exception {
    Process p = run("--check");
    assertEquals("gpu-acceptance: no GPU on this host (nvidia-smi missing or sees no device); run"
        + " benchmark/gpu-build-check.sh here instead\n", new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    assertEquals(2, p.exitValue());
  }

  @Test
  void helpExitsZeroAndBadOptionTwo() throws Exception {
    assertEquals(0, run("--help").exitValue());
    Process bad = run("--frobnicate");
    assertEquals(2, bad.exitValue());
    assertTrue(new String(bad.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)
        .startsWith("gpu-acceptance: unknown option --frobnicate\n"));
    assertTrue(new File(SCRIPT.toString()).canExecute());
  }
}
