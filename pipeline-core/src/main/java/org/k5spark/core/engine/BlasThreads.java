package org.k5spark.core.engine;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * JavaCPP's libtorch does its CPU GEMMs in its bundled OpenBLAS, whose own thread pool busy-waits next to
 * libtorch's OpenMP threads: on a loaded 2-core machine a tiny DiT forward went from ~60-250 ms to
 * ~1-1.7 s. We pin OpenBLAS to one thread (libtorch still parallelises around it) unless the user set
 * OPENBLAS_NUM_THREADS; {@code -Dk5.blas.threads=N} overrides.
 */
final class BlasThreads {
  private BlasThreads() {}

  /**
   * Sets {@code OMP_WAIT_POLICY=PASSIVE} in the process environment unless the user set it, before libtorch
   * (and its libgomp) is loaded: libgomp reads it once at load. Spinning OpenMP workers made a tiny DiT
   * forward ~25x slower (19 ms vs 490 ms) on the shared, oversubscribed 2-core machine; passive waiting costs
   * only a wake-up per parallel region on large tensors.
   */
  static void passiveOpenMpWait() {
    if (System.getenv("OMP_WAIT_POLICY") != null) {
      return;
    }
    try {
      NativeLibrary.getInstance("c").getFunction("setenv").invokeInt(new Object[] {"OMP_WAIT_POLICY", "PASSIVE", 0});
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      // not glibc: keep the default policy
    }
  }

  /** Applies the setting to the libopenblas.so.0 that libtorch in {@code libDir} links; returns the count or -1. */
  static int configure(Path libDir) {
    if (System.getenv("OPENBLAS_NUM_THREADS") != null) {
      return -1;
    }
    Path lib = libDir.resolve("libopenblas.so.0");
    if (!Files.exists(lib)) {
      return -1;
    }
    int n = Integer.getInteger("k5.blas.threads", 1);
    try {
      // dlopen of the already-loaded path returns the same library instance libtorch uses
      NativeLibrary l = NativeLibrary.getInstance(lib.toString());
      Function set = l.getFunction("openblas_set_num_threads");
      set.invoke(new Object[] {n});
      return l.getFunction("openblas_get_num_threads").invokeInt(new Object[0]);
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return -1;
    }
  }
}
