package org.k5spark.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The peak resident-set growth of a piece of work on Linux, as DecodeMemoryTest measures it: freed native
 * memory is first handed back to the OS (malloc_trim; otherwise the work reuses it without growing the resident
 * set; large blocks are mapped one by one, see below), then VmHWM is reset to the current RSS (/proc/self/clear_refs 5) and read after the work. It measures
 * libtorch's CPU allocations (malloc/mmap per tensor, no caching allocator on the CPU), a lower bound of the
 * live bytes only where pages were allocated but never touched.
 */
public final class PeakRss {
  private PeakRss() {}

  /** glibc's M_MMAP_THRESHOLD. */
  private static final int M_MMAP_THRESHOLD = -3;

  public static long of(Runnable work) {
    com.sun.jna.NativeLibrary c = com.sun.jna.NativeLibrary.getInstance("c");
    // a fixed threshold: every tensor above 128 KiB is its own mapping, returned to the OS when freed, so the
    // resident set follows the live tensors (glibc's dynamic threshold otherwise keeps freed tensors in the
    // heap and reuses them, and the growth then depends on what earlier work left there)
    c.getFunction("mallopt").invokeInt(new Object[] {M_MMAP_THRESHOLD, 128 * 1024});
    c.getFunction("malloc_trim").invokeInt(new Object[] {0});
    long base = status("VmRSS");
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    work.run();
    return status("VmHWM") - base;
  }

  /**
   * The largest of {@code runs} measurements of the same work. One measurement can come out low when the work
   * happens to reuse pages that are still resident (a peak is only ever under-measured, never over-measured), so
   * the peak of a piece of work is the maximum; {@code work} must free what it allocates.
   */
  public static long max(int runs, Runnable work) {
    long peak = 0;
    for (int i = 0; i < runs; i++) {
      peak = Math.max(peak, of(work));
    }
    return peak;
  }

  static long status(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024L;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("/proc/self/status has no " + key);
  }
}
