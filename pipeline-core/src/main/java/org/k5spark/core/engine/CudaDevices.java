package org.k5spark.core.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * Device queries through the very libtorch and CUDA runtime the model uses (JavaCPP's presets), never DJL's own
 * cudart lookup: that one found whatever libcudart the system had (another major version gave error 35 and a
 * "CUDA driver version is insufficient" line per call on CPU hosts). Every method is safe on the CPU build and on
 * hosts without a driver, where it answers without calling into CUDA.
 */
public final class CudaDevices {
  private static final Path DRIVER = Path.of("/proc/driver/nvidia/version");

  private CudaDevices() {}

  /** An NVIDIA kernel driver is installed (its /proc entry, or the device nodes a container gets). */
  static boolean driverPresent() {
    return Files.exists(DRIVER) || Files.exists(Path.of("/dev/nvidiactl")) || Files.exists(Path.of("/dev/dxg"));
  }

  /** The NVIDIA driver's version line, or null without a driver. */
  public static String driverVersion() {
    try {
      return Files.exists(DRIVER) ? Files.readAllLines(DRIVER).get(0).replaceAll("\\s+", " ").trim() : null;
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  /** Why {@link TorchRuntime#cudaDeviceCount()} is 0, in words for a one-line error. */
  static String whyNone() {
    if (!TorchRuntime.cudaBuild()) {
      return "this build's libtorch is the CPU one (build with -Pgpu; see docs/gpu.md)";
    }
    if (!driverPresent()) {
      return "no NVIDIA driver on this host (" + DRIVER + " absent)";
    }
    String visible = System.getenv("CUDA_VISIBLE_DEVICES");
    return "the NVIDIA driver reports none to libtorch"
        + (visible != null ? " (CUDA_VISIBLE_DEVICES=" + visible + ")" : " (a driver older than CUDA 12 needs?)");
  }

  /** Free bytes on CUDA device {@code id} (cudaMemGetInfo; libtorch's cached blocks count as used). */
  public static long freeBytes(int id) {
    return memInfo(id)[0];
  }

  /** Total bytes of CUDA device {@code id}. */
  public static long totalBytes(int id) {
    return memInfo(id)[1];
  }

  /** {free, total} of device {@code id} from one cudaMemGetInfo, the caller's current device restored. */
  private static long[] memInfo(int id) {
    requireDevice(id);
    int[] prev = new int[1];
    org.bytedeco.cuda.global.cudart.cudaGetDevice(prev);
    try (SizeTPointer free = new SizeTPointer(1); SizeTPointer total = new SizeTPointer(1)) {
      check(org.bytedeco.cuda.global.cudart.cudaSetDevice(id), "cudaSetDevice");
      check(org.bytedeco.cuda.global.cudart.cudaMemGetInfo(free, total), "cudaMemGetInfo");
      return new long[] {free.get(), total.get()};
    } finally {
      org.bytedeco.cuda.global.cudart.cudaSetDevice(prev[0]);
    }
  }

  /**
   * Hands the blocks libtorch's caching allocator holds but no tensor uses back to the driver (what
   * {@code torch.cuda.empty_cache()} does): before an out-of-memory retry, the retry's smaller plan can only use
   * memory the allocator gives back. A no-op on the CPU build and without a GPU.
   */
  public static void emptyCache() {
    if (TorchRuntime.cudaDeviceCount() > 0) {
      org.bytedeco.pytorch.global.torch_cuda.getAllocator().emptyCache();
    }
  }

  /** Peak bytes libtorch's allocator handed out on device {@code id} since start (0 without a GPU). */
  public static long peakAllocatedBytes(int id) {
    if (TorchRuntime.cudaDeviceCount() <= id) {
      return 0;
    }
    // the aggregate (first) entry of allocated_bytes, as torch.cuda.max_memory_allocated() reports it
    return org.bytedeco.pytorch.global.torch_cuda.getAllocator().getDeviceStats((byte) id).allocated_bytes().peak();
  }

  private static void requireDevice(int id) {
    int n = TorchRuntime.cudaDeviceCount();
    if (id < 0 || id >= n) {
      throw new UnsupportedHostException("CUDA device " + id + " is not visible (" + n + " device(s)"
          + (n == 0 ? ": " + whyNone() : "") + ")");
    }
  }

  private static void check(int err, String call) {
    if (err != 0) {
      throw new UnsupportedHostException(call + " failed: CUDA error " + err + " ("
          + org.bytedeco.cuda.global.cudart.cudaGetErrorString(err).getString() + ")");
    }
  }
}
