package org.k5spark.core.vae;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.engine.TorchRuntime;

/**
 * The decode-memory estimate against a measured peak: the process's peak resident set (VmHWM, reset through
 * /proc/self/clear_refs) while the tiny VAE decodes one untiled tile on the CPU. The resident-set peak is a
 * lower bound of the decode's need (memory the allocator kept from the warm-up is reused without growing
 * it), so the estimate must lie above it, and within a small factor of it.
 */
class DecodeMemoryTest {
  @TempDir Path root;

  @Test
  void estimateCoversTheMeasuredPeakWithoutGrossOverstatement() throws IOException {
    Path dir = root.resolve("vae");
    TinyVae.write(dir, 5);
    try (NDManager m = TorchRuntime.newManager(Device.cpu())) {
      HunyuanVae vae = HunyuanVae.load(dir, m);
      VaeConfig cfg = vae.config();
      Shape latent = new Shape(3, 24, 24, cfg.latentChannels());
      long frames = 4 * (latent.get(0) - 1) + 1;
      long h = latent.get(1) * 8;
      long w = latent.get(2) * 8;
      try (NDManager s = m.newSubManager()) {
        vae.decode(s.randomNormal(latent), VaeTiling.OFF).toFloatArray(); // warm-up: kernels, thread pools
      }
      long measured;
      try (NDManager s = m.newSubManager()) {
        NDArray z = s.randomNormal(latent);
        // hand the warm-up's freed blocks back to the OS (malloc_trim), or the decode reuses them without
        // growing the resident set and the measured peak comes out near zero
        com.sun.jna.NativeLibrary.getInstance("c").getFunction("malloc_trim").invokeInt(new Object[] {0});
        long base = status("VmRSS");
        Files.writeString(Path.of("/proc/self/clear_refs"), "5"); // resets VmHWM to the current RSS
        NDArray video = vae.decode(z, VaeTiling.OFF);
        NDArray frames8 = HunyuanVae.toUint8(video);
        measured = status("VmHWM") - base;
        frames8.close();
      }
      long estimate = DecodeMemory.tileBytes(cfg, frames, h, w) + DecodeMemory.outputBytes(cfg, frames, h, w);
      System.out.printf("tiny VAE decode %dx%dx%d: measured peak %.1f MB, estimate %.1f MB%n", frames, h, w,
          measured / 1e6, estimate / 1e6);
      assertTrue(measured > 0, "no measurable peak: " + measured);
      assertTrue(estimate >= measured, "estimate " + estimate + " below the measured peak " + measured);
      // the estimate is a safety bound, not a gross overstatement of the measured need
      assertTrue(estimate <= 6 * measured, "estimate " + estimate + " more than 6x the measured peak " + measured);
    }
  }

  private static long status(String key) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(key + ":")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024L;
      }
    }
    throw new IllegalStateException("/proc/self/status has no " + key);
  }
}
