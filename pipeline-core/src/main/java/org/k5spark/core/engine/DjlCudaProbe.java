package org.k5spark.core.engine;

import com.sun.jna.NativeLibrary;
import java.nio.file.Path;
import java.util.List;

/**
 * Tames DJL's own CUDA probe. DJL's platform detection ({@code ai.djl.util.Platform.fromSystem}, run by every engine
 * start) calls {@code CudaUtils.getGpuCount()}, which opens whatever {@code libcudart.so} JNA finds on the system
 * (here a CUDA 13 toolkit's) and logs "Failed to detect GPU count: CUDA driver version is insufficient (35)" on
 * every host without a matching driver. We never use its answer (device queries go through {@link CudaDevices}),
 * so: (1) on the CUDA build, JNA's search for cudart starts in the directory of the libcudart.so.12 already
 * loaded, so DJL binds the same runtime as libtorch; (2) its warning is turned off (its private {@code logging}
 * switch, which DJL itself clears when it forks the probe) — if a DJL upgrade renames it, the warning just returns.
 */
final class DjlCudaProbe {
  private DjlCudaProbe() {}

  static void quiet(List<String> redistLibraries) {
    for (String lib : redistLibraries) {
      Path p = Path.of(lib);
      if (p.getFileName().toString().startsWith("libcudart.so")) {
        NativeLibrary.addSearchPath("cudart", p.getParent().toString());
      }
    }
    try {
      java.lang.reflect.Field logging = Class.forName("ai.djl.util.cuda.CudaUtils").getDeclaredField("logging");
      logging.setAccessible(true);
      logging.setBoolean(null, false);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // another DJL version: its warning line may show, nothing else changes
    }
  }
}
