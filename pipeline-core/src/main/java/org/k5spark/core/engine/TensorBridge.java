package org.k5spark.core.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * Zero-copy hand-off between DJL's PyTorch NDArrays and JavaCPP's {@code org.bytedeco.pytorch.Tensor}: both
 * are {@code at::Tensor*} handles into the same libtorch (TorchRuntime guarantees one libtorch per JVM), so
 * the pointer itself can be shared — no data copy, any device (CPU or CUDA), any strides.
 */
public final class TensorBridge {
  private TensorBridge() {}

  /**
   * A non-owning JavaCPP view of a DJL array: the same {@code at::Tensor} object. Valid while the NDArray is
   * open; closing the view frees nothing.
   */
  public static Tensor view(NDArray x) {
    if (!(x instanceof PtNDArray p)) {
      throw new IllegalArgumentException("not a PyTorch-engine NDArray: " + x.getClass().getName());
    }
    long handle = p.getHandle();
    return new Tensor(new Pointer() {
      {
        address = handle;
      }
    });
  }

  /**
   * Hands a JavaCPP-owned tensor (e.g. a kernel's return value) to DJL: ownership of the {@code at::Tensor}
   * heap object moves to an NDArray of {@code manager}, which deletes it on close, as DJL does for its own.
   */
  public static NDArray adopt(Tensor t, NDManager manager) {
    PointerScope scope = PointerScope.getInnerScope();
    if (scope != null) {
      scope.detach(t);
    }
    long handle = t.address();
    // Unregister JavaCPP's deallocator (GC and scopes): from here on DJL owns and deletes the handle.
    t.deallocate(false);
    return new PtNDArray((PtNDManager) manager, handle);
  }
}
