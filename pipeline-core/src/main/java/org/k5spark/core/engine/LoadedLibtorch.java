package org.k5spark.core.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which libtorch this process has mapped, from {@code /proc/self/maps}: a second copy (Debian's libtorch 1.13 in
 * /usr/lib, a pip torch on LD_LIBRARY_PATH, an LD_PRELOAD) next to JavaCPP's aborts the JVM with SIGSEGV at the
 * first tensor, so {@link TorchRuntime} refuses any libtorch/c10 library mapped from outside its own directory.
 */
final class LoadedLibtorch {
  private static final Pattern TORCH = Pattern.compile("lib(torch|torch_cpu|torch_cuda|torch_cuda_linalg|torch_global_deps"
      + "|c10|c10_cuda)\\.so(\\.[0-9.]+)?");

  private static final Pattern CUDA = Pattern.compile("lib(cudart|cublas|cublasLt|cusparse|cusolver|cufft|curand|cupti"
      + "|nvJitLink|cudnn[a-z_]*)\\.so\\.[0-9.]+");

  private LoadedLibtorch() {}

  /** The distinct libtorch/c10 files in {@code maps} (the format of /proc/self/maps). */
  static List<Path> torchLibraries(List<String> maps) {
    return mappedFiles(maps).stream().filter(p -> TORCH.matcher(p.getFileName().toString()).matches()).toList();
  }

  /** Throws the one-line refusal when any libtorch/c10 library is mapped already (an LD_PRELOAD), before ours loads. */
  static void requireNone(List<String> maps) {
    for (Path p : torchLibraries(maps)) {
      throw new UnsupportedHostException("a libtorch is loaded before this build's own: " + p + "; two copies crash the"
          + " JVM: remove it from LD_PRELOAD (see docs/gpu.md)");
    }
  }

  /**
   * Throws the one-line refusal when a libtorch/c10 library of this process lies outside {@code ownDir}, or when one
   * CUDA library (same file name) is mapped from two places: two CUDA runtimes in one process fail at random.
   */
  static void requireOnly(Path ownDir, List<String> maps) {
    for (Path p : torchLibraries(maps)) {
      if (!p.getParent().equals(ownDir)) {
        throw new UnsupportedHostException("a second libtorch is loaded: " + p + " (this build uses " + ownDir
            + "); two copies crash the JVM: remove it from LD_PRELOAD / LD_LIBRARY_PATH (see docs/gpu.md)");
      }
    }
    java.util.Map<String, Path> cuda = new java.util.HashMap<>();
    for (Path p : mappedFiles(maps)) {
      String name = p.getFileName().toString();
      if (CUDA.matcher(name).matches()) {
        Path other = cuda.putIfAbsent(name, p);
        if (other != null && !other.equals(p)) {
          throw new UnsupportedHostException("two copies of " + name + " are loaded: " + other + " and " + p
              + " (one CUDA library set per node: see docs/gpu.md)");
        }
      }
    }
  }

  private static List<Path> mappedFiles(List<String> maps) {
    TreeSet<String> paths = new TreeSet<>();
    for (String line : maps) {
      int slash = line.indexOf('/');
      if (slash >= 0) {
        paths.add(line.substring(slash).replace(" (deleted)", ""));
      }
    }
    return paths.stream().map(Path::of).toList();
  }

  /** /proc/self/maps, or nothing where it cannot be read (not Linux): then no check is possible. */
  static List<String> selfMaps() {
    try {
      return Files.readAllLines(Path.of("/proc/self/maps"));
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }
}
