package org.k5spark.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one-line refusals of the native loading, on real linker messages and /proc/self/maps lines. */
class NativeLoadingTest {
  @Test
  void missingCudaLibraryNamesItAndItsProvider() {
    // the message System.load gave on this host for the -Pgpu build without cuSPARSE
    String linker = "/root/.javacpp/cache/pytorch-2.7.1-1.5.12-linux-x86_64-gpu.jar/org/bytedeco/pytorch/linux-x86_64-gpu/"
        + "libtorch_cuda.so: libcusparse.so.12: cannot open shared object file: No such file or directory";
    assertEquals("libtorch_cuda.so cannot load: libcusparse.so.12 is missing; it comes with cuSPARSE of a CUDA 12 toolkit"
        + " (apt cuda-libraries-12-9, image nvidia/cuda:12.9.1-cudnn-runtime-ubuntu24.04) or the -Pgpu,gpu-redist build"
        + " (see docs/gpu.md)", CudaLibraries.explain("libtorch_cuda.so", linker));
    assertEquals("libjnitorch_cuda.so cannot load: libcudnn_cnn.so.9 is missing; it comes with cuDNN 9 for CUDA 12 (apt"
        + " cudnn9-cuda-12, image nvidia/cuda:12.9.1-cudnn-runtime-ubuntu24.04) or the -Pgpu,gpu-redist build (see docs/gpu.md)",
        CudaLibraries.explain("libjnitorch_cuda.so", "/x/libjnitorch_cuda.so: libcudnn_cnn.so.9: cannot open shared object"
            + " file: No such file or directory"));
  }

  @Test
  void otherLinkerErrorsKeepTheirFirstLine() {
    assertEquals("libtorch_cuda.so cannot load: /x/libtorch_cuda.so: undefined symbol: cublasLtFoo (see docs/gpu.md)",
        CudaLibraries.explain("libtorch_cuda.so", "/x/libtorch_cuda.so: undefined symbol: cublasLtFoo\n\tmore"));
  }

  @Test
  void everyCudaLibraryLibtorchLinksIsListed() {
    // DT_NEEDED of libtorch_cuda.so, libtorch_cpu.so, libjnitorch_cuda.so, libtorch_cuda_linalg.so (readelf -d, 2.7.1-1.5.12)
    List<String> needed = List.of("libcudart.so.12", "libcusparse.so.12", "libcufft.so.11", "libcufile.so.0",
        "libcurand.so.10", "libcublas.so.12", "libcublasLt.so.12", "libcudnn.so.9", "libcupti.so.12", "libcusolver.so.11",
        "libcudnn_cnn.so.9", "libcudnn_adv.so.9", "libcudnn_ops.so.9", "libcudnn_graph.so.9");
    List<String> listed = CudaLibraries.ALL.stream().map(CudaLibraries.Lib::soname).toList();
    for (String n : needed) {
      assertEquals(true, listed.contains(n), n);
    }
    // load order: what a library links comes before it
    assertEquals(true, listed.indexOf("libcublasLt.so.12") < listed.indexOf("libcublas.so.12"));
    assertEquals(true, listed.indexOf("libnvJitLink.so.12") < listed.indexOf("libcusparse.so.12"));
    assertEquals(true, listed.indexOf("libcusparse.so.12") < listed.indexOf("libcusolver.so.11"));
    assertEquals(true, listed.indexOf("libcudnn_graph.so.9") < listed.indexOf("libcudnn_ops.so.9"));
  }

  @Test
  void aSystemLibtorchNextToOursIsRefused() {
    Path own = Path.of("/root/.javacpp/cache/pytorch.jar/org/bytedeco/pytorch/linux-x86_64");
    List<String> maps = List.of(
        "7f00-7f01 r-xp 00000000 fd:00 1 " + own + "/libtorch_cpu.so",
        "7f01-7f02 r-xp 00000000 fd:00 2 " + own + "/libc10.so",
        "7f02-7f03 r--p 00000000 fd:00 3 /usr/lib/x86_64-linux-gnu/libopenblas.so.0",
        "7f03-7f04 r-xp 00000000 fd:00 4 /usr/lib/x86_64-linux-gnu/libtorch_cpu.so.1.13.0",
        "7fff-8000 rw-p 00000000 00:00 0 [stack]");
    UnsupportedHostException e = assertThrows(UnsupportedHostException.class, () -> LoadedLibtorch.requireOnly(own, maps));
    assertEquals("a second libtorch is loaded: /usr/lib/x86_64-linux-gnu/libtorch_cpu.so.1.13.0 (this build uses " + own
        + "); two copies crash the JVM: remove it from LD_PRELOAD / LD_LIBRARY_PATH (see docs/gpu.md)", e.getMessage());
    LoadedLibtorch.requireOnly(own, maps.subList(0, 3)); // only ours: accepted
  }

  @Test
  void twoCudaRuntimesAreRefused() {
    Path own = Path.of("/c/pytorch");
    List<String> maps = List.of("1-2 r-xp 0 fd:00 1 /c/pytorch/libtorch_cuda.so",
        "2-3 r-xp 0 fd:00 2 /c/redist-12.9/libcudart.so.12", "3-4 r-xp 0 fd:00 3 /c/redist-12.6/libcudart.so.12");
    UnsupportedHostException e = assertThrows(UnsupportedHostException.class, () -> LoadedLibtorch.requireOnly(own, maps));
    assertEquals("two copies of libcudart.so.12 are loaded: /c/redist-12.6/libcudart.so.12 and /c/redist-12.9/libcudart.so.12"
        + " (one CUDA library set per node: see docs/gpu.md)", e.getMessage());
  }

  @Test
  void thisJvmHasExactlyOurLibtorch() {
    TorchRuntime.init();
    List<Path> libs = LoadedLibtorch.torchLibraries(LoadedLibtorch.selfMaps());
    assertEquals(true, libs.stream().anyMatch(p -> p.getFileName().toString().equals("libtorch_cpu.so")), libs.toString());
    for (Path p : libs) {
      assertEquals(TorchRuntime.nativeDir(), p.getParent());
    }
  }

  @Test
  void gpuWithoutADeviceIsOneLine() {
    // the default (CPU) build: no CUDA in libtorch at all
    if (!TorchRuntime.cudaBuild()) {
      UnsupportedHostException e = assertThrows(UnsupportedHostException.class, () -> TorchRuntime.device("gpu"));
      assertEquals("--device gpu: no CUDA device: this build's libtorch is the CPU one (build with -Pgpu; see"
          + " docs/gpu.md)", e.getMessage());
      assertEquals(ai.djl.Device.cpu(), TorchRuntime.device("auto"));
      assertEquals(0, TorchRuntime.cudaDeviceCount());
    } else {
      assertEquals(TorchRuntime.cudaDeviceCount() > 0 ? ai.djl.Device.gpu(0) : ai.djl.Device.cpu(), TorchRuntime.device("auto"));
    }
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> TorchRuntime.device("gpu:x"));
    assertEquals("unknown device 'gpu:x' (expected cpu, auto, gpu, gpu:N)", bad.getMessage());
  }
}
