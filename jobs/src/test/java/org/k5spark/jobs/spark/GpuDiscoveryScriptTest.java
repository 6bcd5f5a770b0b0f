package org.k5spark.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** submit/get-gpus.sh, run against a fake nvidia-smi and parsed by Spark's own resource JSON parser. */
class GpuDiscoveryScriptTest {
  @TempDir Path tmp;

  private ResourceInformation run(Path binDir, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", Path.of("..", "submit", "get-gpus.sh").toString());
    pb.environment().remove("CUDA_VISIBLE_DEVICES");
    pb.environment().put("PATH", binDir + ":/usr/bin:/bin");
    pb.environment().putAll(env);
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    assertEquals(0, p.waitFor(), out);
    return ResourceInformation.parseJson(out);
  }

  @Test
  void reportsNvidiaSmiIndicesAsSparkGpuResource() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path smi = bin.resolve("nvidia-smi");
    Files.writeString(smi, "#!/bin/sh\n[ \"$1\" = \"--query-gpu=index\" ] || exit 9\nprintf '0\\n 1\\n2\\n3\\n'\n");
    Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
    ResourceInformation all = run(bin, Map.of());
    assertEquals("gpu", all.name());
    assertArrayEquals(new String[] {"0", "1", "2", "3"}, all.addresses());
    // a resource manager that narrowed the set: CUDA renumbers the visible GPUs from 0
    assertArrayEquals(new String[] {"0", "1"}, run(bin, Map.of("CUDA_VISIBLE_DEVICES", "1,3")).addresses());
    // no driver on the node: no GPUs, not an error
    assertArrayEquals(new String[0], run(bin, Map.of("NVIDIA_SMI", tmp.resolve("absent/nvidia-smi").toString())).addresses());
  }
}
