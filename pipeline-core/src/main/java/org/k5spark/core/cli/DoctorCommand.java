package org.k5spark.core.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.k5spark.core.engine.CudaDevices;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.engine.UnsupportedHostException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code k5 doctor}: what this node's JVM loads — which libtorch build from where, every libtorch/CUDA library
 * mapped (from /proc/self/maps), the NVIDIA driver, libtorch's CUDA runtime and cuDNN versions and device count.
 * The SDPA call on the device is {@code k5 parity --device gpu} of a golden DiT case (benchmark/gpu-acceptance.sh
 * --check runs both).
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = {"Report the libtorch build, the CUDA libraries and driver this node loads, and the CUDA devices.",
        "Exit 0; 2 (one line) when the natives cannot load, or with --require-gpu when no CUDA device is visible."})
public final class DoctorCommand implements Callable<Integer> {
  @Option(names = "--require-gpu", description = "exit 2 unless libtorch sees a CUDA device")
  boolean requireGpu;

  @Override
  public Integer call() {
    try {
      TorchRuntime.init();
    } catch (UnsupportedHostException e) {
      System.err.println("k5 doctor: " + e.getMessage());
      return ExitCode.USAGE;
    }
    boolean cuda = TorchRuntime.cudaBuild();
    System.out.println("libtorch      2.7.1 " + (cuda ? "CUDA build (linux-x86_64-gpu)" : "CPU build (linux-x86_64)")
        + " from " + TorchRuntime.nativeDir());
    for (Path p : mapped()) {
      System.out.println("loaded        " + p);
    }
    String driver = CudaDevices.driverVersion();
    System.out.println("driver        " + (driver == null ? "none" : driver));
    int n = TorchRuntime.cudaDeviceCount();
    if (cuda) {
      var hooks = org.bytedeco.pytorch.global.torch.getCUDAHooks();
      System.out.println("cuda runtime  " + version(hooks.versionCUDART()) + " (libtorch built with 12.9)");
      System.out.println("cudnn         " + (hooks.hasCuDNN() ? String.valueOf(hooks.versionCuDNN()) : "not available")
          + " (libtorch built with 91000)");
    }
    System.out.println("cuda devices  " + n);
    for (int i = 0; i < n; i++) {
      System.out.printf(java.util.Locale.ROOT, "gpu:%d         %.1f GiB free of %.1f GiB%n", i,
          CudaDevices.freeBytes(i) / (double) (1L << 30), CudaDevices.totalBytes(i) / (double) (1L << 30));
    }
    if (requireGpu && n == 0) {
      System.err.println("k5 doctor: --require-gpu: no CUDA device visible to libtorch");
      return ExitCode.USAGE;
    }
    return ExitCode.OK;
  }

  private static String version(long v) {
    return v <= 0 ? "unknown" : (v / 1000) + "." + (v % 1000) / 10;
  }

  /** libtorch, c10, CUDA and cuDNN libraries this process has mapped. */
  private static List<Path> mapped() {
    try {
      return java.nio.file.Files.readAllLines(Path.of("/proc/self/maps")).stream()
          .filter(l -> l.contains("/"))
          .map(l -> l.substring(l.indexOf('/')))
          .filter(s -> s.matches(".*/lib(torch|c10|cu|nv)[A-Za-z0-9_]*\\.so[0-9.]*"))
          .distinct().sorted().map(Path::of).toList();
    } catch (java.io.IOException e) {
      return List.of();
    }
  }
}
