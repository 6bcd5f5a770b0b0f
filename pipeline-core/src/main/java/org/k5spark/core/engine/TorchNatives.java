package org.k5spark.core.engine;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Loader;

/**
 * JavaCPP's libtorch natives of whichever classifier is on the classpath ({@code org.bytedeco:pytorch:linux-x86_64}
 * or {@code …:linux-x86_64-gpu}), extracted as one directory and loaded by absolute path in dependency order:
 * the CUDA libraries first (GPU build), then c10, libtorch_cpu, the CUDA parts and libtorch. Loading by path
 * before JavaCPP or DJL look for "torch" is what keeps ld.so from ever binding a system libtorch: a failure
 * here is one line naming the library, never a fallback.
 */
record TorchNatives(String classifier, Path dir, boolean cuda, List<String> cudaLibraries) {
  private static final String ROOT = "/org/bytedeco/pytorch/";
  private static final List<String> CPU_ORDER = List.of("libgomp.so.1", "libc10.so", "libtorch_cpu.so", "libtorch.so");
  private static final List<String> GPU_ORDER = List.of("libgomp.so.1", "libc10.so", "libtorch_cpu.so", "libc10_cuda.so",
      "libtorch_cuda.so", "libtorch_cuda_linalg.so", "libtorch.so");

  /** The classifier whose natives are on the classpath: the GPU one when both are (it is a superset). */
  static String classifier(String platform) {
    if (TorchNatives.class.getResource(ROOT + platform + "-gpu/libtorch_cuda.so") != null) {
      return platform + "-gpu";
    }
    if (TorchNatives.class.getResource(ROOT + platform + "/libtorch_cpu.so") != null) {
      return platform;
    }
    throw new UnsupportedHostException("JavaCPP libtorch natives for " + platform + " are not on the classpath"
        + " (expected org.bytedeco:pytorch:2.7.1-1.5.12:" + platform + " or :" + platform + "-gpu)");
  }

  /** Extracts and loads the natives; idempotent per JVM through {@link TorchRuntime}. */
  static TorchNatives load(String platform) {
    String classifier = classifier(platform);
    Path dir = extract(classifier);
    boolean cuda = Files.exists(dir.resolve("libtorch_cuda.so"));
    List<String> cudaLibs = cuda ? CudaLibraries.preloadRedist(platform) : List.of();
    for (String lib : cuda ? GPU_ORDER : CPU_ORDER) {
      Path p = dir.resolve(lib);
      if (Files.exists(p)) {
        CudaLibraries.load(p.toString(), lib);
      }
    }
    return new TorchNatives(classifier, dir, cuda, new ArrayList<>(cudaLibs));
  }

  private static Path extract(String classifier) {
    File[] dirs;
    try {
      dirs = Loader.cacheResources(ROOT + classifier + "/");
    } catch (Exception e) {
      throw new UnsupportedHostException("cannot extract JavaCPP libtorch natives (" + classifier + ") to "
          + cacheDir() + ": " + e.getMessage());
    }
    if (dirs == null || dirs.length == 0 || !Files.isDirectory(dirs[0].toPath())) {
      throw new UnsupportedHostException("JavaCPP libtorch natives for " + classifier + " are not on the classpath");
    }
    try {
      return dirs[0].toPath().toRealPath(); // as /proc/self/maps shows it
    } catch (java.io.IOException e) {
      throw new UnsupportedHostException("cannot read " + dirs[0] + ": " + e.getMessage());
    }
  }

  private static String cacheDir() {
    try {
      return Loader.getCacheDir().toString();
    } catch (Exception e) {
      return "the JavaCPP cache (~/.javacpp/cache)";
    }
  }
}
