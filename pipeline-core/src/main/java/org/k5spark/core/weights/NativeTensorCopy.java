package org.k5spark.core.weights;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDManager;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.k5spark.core.engine.TensorBridge;
import org.k5spark.core.engine.TorchRuntime;

/**
 * A safetensors entry straight from its memory-mapped bytes into a libtorch tensor: libtorch views the
 * mapping ({@code from_blob}) and copies it once, converting the dtype on the way (bfloat16 to float32 or
 * float16 included) with its vectorised, multi-threaded kernels. The Java alternative widens bfloat16 one
 * element at a time and copies the others twice; this path loads a bf16 checkpoint about as fast as an f32
 * one. The tensor never exists as a BFLOAT16 DJL NDArray (which aborts the JVM): only the JavaCPP view is
 * bf16, and DJL receives the converted copy.
 */
final class NativeTensorCopy {
  private NativeTensorCopy() {}

  /**
   * @param target the dtype to create (null = the stored one, bfloat16 widened to float32); never BFLOAT16
   * @return the tensor in {@code manager}, or null where this path does not apply (a non-PyTorch manager,
   *     a big-endian host, an empty tensor); the caller then takes the Java path
   */
  static NDArray load(ByteBuffer mapped, Dtype dtype, long[] shape, DataType target, NDManager manager) {
    ScalarType from = scalar(dtype);
    DataType out = target != null ? target : dtype == Dtype.BF16 ? DataType.FLOAT32 : dtype.djlType();
    ScalarType to;
    try {
      to = out == null ? null : scalar(Dtype.of(out));
    } catch (IllegalArgumentException noSafetensorsType) {
      return null;
    }
    if (from == null || to == null || !(manager instanceof PtNDManager) || !mapped.isDirect()
        || ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN || mapped.remaining() == 0) {
      return null;
    }
    Device device = manager.getDevice();
    NDManager cpu = device.isGpu() ? TorchRuntime.newManager(Device.cpu()) : manager;
    try {
      NDArray arr;
      try (BytePointer data = new BytePointer(mapped); TensorOptions opts = new TensorOptions(from);
          Tensor view = torch.from_blob(data, shape, opts); MemoryFormatOptional keep = new MemoryFormatOptional()) {
        // copy = true: a same-dtype "conversion" must still leave the mapping (it is unmapped on GC)
        arr = TensorBridge.adopt(view.to(to, false, true, keep), cpu);
      } finally {
        Reference.reachabilityFence(mapped);
      }
      if (cpu != manager) {
        NDArray moved = arr.toDevice(device, false);
        moved.attach(manager);
        arr = moved;
      }
      return arr;
    } finally {
      if (cpu != manager) {
        cpu.close();
      }
    }
  }

  private static ScalarType scalar(Dtype d) {
    return switch (d) {
      case F64 -> ScalarType.Double;
      case F32 -> ScalarType.Float;
      case F16 -> ScalarType.Half;
      case BF16 -> ScalarType.BFloat16;
      case I64 -> ScalarType.Long;
      case I32 -> ScalarType.Int;
      case I16 -> ScalarType.Short;
      case I8 -> ScalarType.Char;
      case U8 -> ScalarType.Byte;
      case BOOL -> ScalarType.Bool;
    };
  }
}
