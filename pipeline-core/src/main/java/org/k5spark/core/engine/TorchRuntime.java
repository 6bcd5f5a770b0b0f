package org.k5spark.core.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import org.bytedeco.javacpp.Loader;

/**
 * Puts DJL's PyTorch engine on the libtorch that JavaCPP's PyTorch presets ship, so that one JVM holds
 * exactly one libtorch (two copies abort the JVM, see notes/stack.md §8) and both the DJL NDArray API
 * and JavaCPP's fused attention / bfloat16 kernels work on the same tensors. Either build works: the CPU
 * natives ({@code org.bytedeco:pytorch:linux-x86_64}) or the CUDA ones ({@code -Pgpu}, {@code linux-x86_64-gpu});
 * the CUDA build on a host without a driver runs on the CPU after one warning line (docs/gpu.md).
 *
 * <p>Every entry point (tests, CLI, Spark executors) must go through {@link #init()} or
 * {@link #newManager(Device)} before the first NDManager exists: DJL reads the library path once. Failures
 * (missing CUDA library, foreign libtorch, no GPU for {@code --device gpu}) are {@link UnsupportedHostException}s
 * whose message is one line.
 */
public final class TorchRuntime {
  private static volatile TorchNatives natives;
  private static volatile int cudaDevices = -1;

  private TorchRuntime() {}

  /** Extracts and loads the JavaCPP libtorch, points DJL at it and starts the engine offline. Idempotent. */
  public static synchronized void init() {
    if (natives != null) {
      return;
    }
    // DJL must never touch the network (telemetry, EC2 metadata probes, native downloads).
    System.setProperty("ai.djl.offline", "true");
    if (System.getProperty("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
    String platform = Loader.getPlatform();
    LoadedLibtorch.requireNone(LoadedLibtorch.selfMaps()); // an LD_PRELOADed libtorch: refuse before loading ours
    BlasThreads.passiveOpenMpWait();
    // JavaCPP's OpenBLAS first: libtorch_cpu.so links libopenblas.so.0, which ld.so would otherwise take from /usr/lib.
    Loader.load(org.bytedeco.openblas.global.openblas.class);
    TorchNatives n = TorchNatives.load(platform);
    Path libDir = n.dir();
    setIfAbsent("PYTORCH_LIBRARY_PATH", libDir.toString());
    setIfAbsent("PYTORCH_VERSION", "2.7.1");
    setIfAbsent("PYTORCH_FLAVOR", n.cuda() ? "cu128" : "cpu");
    if (n.cuda()) {
      System.setProperty("org.bytedeco.javacpp.platform.extension", "-gpu");
    }
    try {
      Loader.load(org.bytedeco.pytorch.global.torch.class);
    } catch (UnsatisfiedLinkError e) {
      throw new UnsupportedHostException(CudaLibraries.explain("JavaCPP's libtorch (" + n.classifier() + ")",
          e.getMessage()));
    }
    BlasThreads.configure(libDir);
    DjlCudaProbe.quiet(n.cudaLibraries());
    Engine.getEngine("PyTorch");
    LoadedLibtorch.requireOnly(libDir, LoadedLibtorch.selfMaps());
    natives = n;
    if (n.cuda() && cudaDeviceCount() == 0) {
      // stderr, not a logger: Spark's log4j2 default drops WARN of our loggers, and this is the one line a user needs
      System.err.println("k5: warning: CUDA build of libtorch, but no CUDA device: " + CudaDevices.whyNone()
          + "; running on the CPU");
    }
  }

  /** True when the loaded libtorch is the CUDA build ({@code -Pgpu}). */
  public static boolean cudaBuild() {
    init();
    return natives.cuda();
  }

  /** The directory the loaded libtorch natives were extracted to. */
  public static Path nativeDir() {
    init();
    return natives.dir();
  }

  /** The CUDA redist libraries this process loaded from the classpath (absolute paths; empty for the CPU build). */
  public static java.util.List<String> redistLibraries() {
    init();
    return natives.cudaLibraries();
  }

  /**
   * CUDA devices visible to the loaded libtorch (its own count: {@code torch::cuda::device_count}); 0 for the CPU
   * build and, without asking CUDA at all, where no NVIDIA driver is installed (no warning noise per call).
   */
  public static int cudaDeviceCount() {
    init();
    if (cudaDevices < 0) {
      cudaDevices = natives.cuda() && CudaDevices.driverPresent() ? org.bytedeco.pytorch.global.torch.cuda_device_count() : 0;
    }
    return cudaDevices;
  }

  /** A base manager on the given device, after {@link #init()}. */
  public static NDManager newManager(Device device) {
    init();
    return NDManager.newBaseManager(device, "PyTorch");
  }

  /**
   * "cpu", "gpu", "gpu:1", "cuda:0" to a DJL device; "auto" picks gpu(0) when libtorch sees one. A GPU that is
   * not there is an {@link UnsupportedHostException} (one line): never a silent CPU run.
   */
  public static Device device(String spec) {
    String s = spec == null ? "cpu" : spec.trim().toLowerCase(java.util.Locale.ROOT);
    if (s.equals("cpu")) {
      init();
      return Device.cpu();
    }
    if (s.equals("auto")) {
      return cudaDeviceCount() > 0 ? Device.gpu(0) : Device.cpu();
    }
    if (s.startsWith("gpu") || s.startsWith("cuda")) {
      int colon = s.indexOf(':');
      int id;
      try {
        id = colon < 0 ? 0 : Integer.parseInt(s.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("unknown device '" + spec + "' (expected cpu, auto, gpu, gpu:N)");
      }
      int count = cudaDeviceCount();
      if (count == 0) {
        throw new UnsupportedHostException("--device " + spec + ": no CUDA device: " + CudaDevices.whyNone());
      }
      if (id < 0 || id >= count) {
        throw new UnsupportedHostException("--device " + spec + ": only " + count + " CUDA device(s) visible (gpu:0"
            + (count > 1 ? "..gpu:" + (count - 1) : "") + ")");
      }
      return Device.gpu(id);
    }
    throw new IllegalArgumentException("unknown device '" + spec + "' (expected cpu, auto, gpu, gpu:N)");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null && System.getenv(key) == null) {
      System.setProperty(key, value);
    }
  }
}
