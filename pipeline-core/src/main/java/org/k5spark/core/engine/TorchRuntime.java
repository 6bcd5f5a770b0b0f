package org.k5spark.core.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.Loader;

/**
 * Puts DJL's PyTorch engine on the libtorch that JavaCPP's PyTorch presets ship, so that one JVM holds
 * exactly one libtorch (two copies abort the JVM, see notes/stack.md §8) and both the DJL NDArray API
 * and JavaCPP's fused attention / bfloat16 kernels work on the same tensors.
 *
 * <p>Every entry point (tests, CLI, Spark executors) must go through {@link #init()} or
 * {@link #newManager(Device)} before the first NDManager exists: DJL reads the library path once.
 */
public final class TorchRuntime {
  private static volatile boolean initialised;

  private TorchRuntime() {}

  /** Extracts the JavaCPP libtorch, points DJL at it and starts the engine offline. Idempotent. */
  public static synchronized void init() {
    if (initialised) {
      return;
    }
    // DJL must never touch the network (telemetry, EC2 metadata probes, native downloads).
    System.setProperty("ai.djl.offline", "true");
    if (System.getProperty("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
    // Extract the whole native directory at once: loading libtorch.so before libtorch_cpu.so is on
    // disk lets ld.so pick up a system libtorch of another version and crash (stack.md §8).
    String platform = Loader.getPlatform();
    File dir = null;
    try {
      File[] dirs = Loader.cacheResources("/org/bytedeco/pytorch/" + platform + "/");
      dir = dirs == null || dirs.length == 0 ? null : dirs[0];
    } catch (Exception e) {
      throw new IllegalStateException("cannot extract JavaCPP libtorch natives for " + platform, e);
    }
    if (dir == null || !Files.isDirectory(dir.toPath())) {
      throw new IllegalStateException(
          "JavaCPP libtorch natives for " + platform + " are not on the classpath (org.bytedeco:pytorch:"
              + platform + ")");
    }
    Path libDir = dir.toPath();
    boolean cuda = Files.exists(libDir.resolve("libtorch_cuda.so"));
    setIfAbsent("PYTORCH_LIBRARY_PATH", libDir.toString());
    setIfAbsent("PYTORCH_VERSION", "2.7.1");
    setIfAbsent("PYTORCH_FLAVOR", cuda ? "cu128" : "cpu");
    BlasThreads.passiveOpenMpWait();
    // Load JavaCPP's libtorch first so DJL's JNI binds to the very same copy.
    Loader.load(org.bytedeco.pytorch.global.torch.class);
    BlasThreads.configure(libDir);
    Engine.getEngine("PyTorch");
    initialised = true;
  }

  /** A base manager on the given device, after {@link #init()}. */
  public static NDManager newManager(Device device) {
    init();
    return NDManager.newBaseManager(device, "PyTorch");
  }

  /** "cpu", "gpu", "gpu:1", "cuda:0" to a DJL device; "auto" picks gpu(0) when one is visible. */
  public static Device device(String spec) {
    init();
    String s = spec == null ? "cpu" : spec.trim().toLowerCase();
    if (s.equals("auto")) {
      return Engine.getEngine("PyTorch").getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
    }
    if (s.equals("cpu")) {
      return Device.cpu();
    }
    if (s.startsWith("gpu") || s.startsWith("cuda")) {
      int colon = s.indexOf(':');
      int id = colon < 0 ? 0 : Integer.parseInt(s.substring(colon + 1));
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
