package org.k5spark.core.engine;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Free memory of a device, for memory plans: CUDA's free bytes ({@link CudaDevices#freeBytes}: cudaMemGetInfo of
 * the CUDA runtime libtorch itself uses, not DJL's cudart lookup) on a GPU — memory
 * libtorch's caching allocator holds counts as used, so call it after releasing what a plan may reuse — and
 * {@code MemAvailable} of /proc/meminfo on the CPU (native tensors live outside the JVM heap).
 */
public final class DeviceMemory {
  private DeviceMemory() {}

  /** Free bytes on {@code device}; {@link Long#MAX_VALUE} when it cannot be known (no limit is then applied). */
  public static long freeBytes(Device device) {
    if (device.isGpu()) {
      return CudaDevices.freeBytes(device.getDeviceId());
    }
    return hostAvailable(Path.of("/proc/meminfo"));
  }

  static long hostAvailable(Path meminfo) {
    try {
      for (String line : Files.readAllLines(meminfo)) {
        if (line.startsWith("MemAvailable:")) {
          String[] f = line.trim().split("\\s+");
          return Long.parseLong(f[1]) * 1024L; // kB
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or unreadable: no limit
    }
    return Long.MAX_VALUE;
  }
}
