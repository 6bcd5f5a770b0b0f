package org.k5spark.core.engine;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.Loader;

/**
 * The CUDA 12 / cuDNN 9 libraries the CUDA build of JavaCPP's libtorch 2.7.1 links (its DT_NEEDED entries plus
 * the cuDNN parts cuDNN opens itself), in an order where each comes after what it needs, with what provides each.
 * Those found as JavaCPP redist resources on the classpath are extracted and loaded by absolute path first, so
 * that the dynamic linker binds libtorch_cuda.so to them; the rest must come from the node (ld.so's search:
 * LD_LIBRARY_PATH, ldconfig). See docs/gpu.md.
 */
final class CudaLibraries {
  /** One library: its soname and, for the error line, what provides it. */
  record Lib(String soname, String provider) {}

  private static final String RUNTIME = "the CUDA 12 runtime redist (org.bytedeco:cuda-redist:12.9-9.10-1.5.12,"
      + " part of -Pgpu) or a CUDA 12 toolkit";
  private static final String NODE = "%s of a CUDA 12 toolkit (apt cuda-libraries-12-9, image"
      + " nvidia/cuda:12.9.1-cudnn-runtime-ubuntu24.04) or the -Pgpu,gpu-redist build";
  private static final String CUDNN = "cuDNN 9 for CUDA 12 (apt cudnn9-cuda-12, image"
      + " nvidia/cuda:12.9.1-cudnn-runtime-ubuntu24.04) or the -Pgpu,gpu-redist build";

  static final List<Lib> ALL = List.of(
      new Lib("libcudart.so.12", RUNTIME),
      new Lib("libnvJitLink.so.12", RUNTIME),
      new Lib("libnvrtc.so.12", RUNTIME),
      new Lib("libcufft.so.11", RUNTIME),
      new Lib("libcurand.so.10", RUNTIME),
      new Lib("libcufile.so.0", RUNTIME),
      new Lib("libcupti.so.12", RUNTIME),
      new Lib("libcublasLt.so.12", NODE.formatted("cuBLASLt")),
      new Lib("libcublas.so.12", NODE.formatted("cuBLAS")),
      new Lib("libcusparse.so.12", NODE.formatted("cuSPARSE")),
      new Lib("libcusolver.so.11", NODE.formatted("cuSOLVER")),
      new Lib("libcudnn_graph.so.9", CUDNN),
      new Lib("libcudnn_ops.so.9", CUDNN),
      new Lib("libcudnn_cnn.so.9", CUDNN),
      new Lib("libcudnn_adv.so.9", CUDNN),
      new Lib("libcudnn_heuristic.so.9", CUDNN),
      new Lib("libcudnn_engines_precompiled.so.9", CUDNN),
      new Lib("libcudnn_engines_runtime_compiled.so.9", CUDNN),
      new Lib("libcudnn.so.9", CUDNN));

  private static final Pattern MISSING = Pattern.compile("([A-Za-z0-9_+.-]+\\.so[0-9.]*): cannot open shared object file");

  private CudaLibraries() {}

  /**
   * Extracts and loads every library of {@link #ALL} that a JavaCPP redist jar on the classpath carries; returns
   * the absolute paths loaded. Where two jars carry one soname (the 12.9 runtime redist and the 12.6 full redist
   * both have libcudart.so.12) the first on the classpath wins, as it does for JavaCPP's own preloading (so both
   * name the same file; the pom puts the 12.9 runtime first: libtorch was built against it).
   */
  static List<String> preloadRedist(String platform) {
    List<String> loaded = new ArrayList<>();
    for (Lib lib : ALL) {
      Optional<URL> url = first(platform, lib.soname());
      if (url.isEmpty()) {
        continue; // left to the node's libraries (ld.so search)
      }
      File file;
      try {
        file = Loader.cacheResource(url.get());
      } catch (IOException e) {
        throw new UnsupportedHostException("cannot extract " + lib.soname() + " from " + url.get() + ": " + e.getMessage());
      }
      load(file.getAbsolutePath(), lib.soname());
      loaded.add(file.getAbsolutePath());
    }
    return loaded;
  }

  private static Optional<URL> first(String platform, String soname) {
    try {
      return Optional.ofNullable(Loader.findResource(CudaLibraries.class, "/org/bytedeco/cuda/" + platform + "/" + soname));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** {@code System.load} with a failure turned into one line naming the missing library and its provider. */
  static void load(String path, String what) {
    try {
      System.load(path);
    } catch (UnsatisfiedLinkError e) {
      throw new UnsupportedHostException(explain(what, e.getMessage()));
    }
  }

  /** The one-line reason for a failed load of {@code what} whose linker message is {@code message}. */
  static String explain(String what, String message) {
    String msg = message == null ? "" : message;
    Matcher m = MISSING.matcher(msg);
    if (m.find()) {
      String soname = m.group(1);
      String provider = ALL.stream().filter(l -> l.soname().equals(soname)).map(Lib::provider).findFirst()
          .orElse("a library of this node (install it, or put its directory on LD_LIBRARY_PATH)");
      return what + " cannot load: " + soname + " is missing; it comes with " + provider + " (see docs/gpu.md)";
    }
    int nl = msg.indexOf('\n');
    return what + " cannot load: " + (nl < 0 ? msg : msg.substring(0, nl)) + " (see docs/gpu.md)";
  }
}
