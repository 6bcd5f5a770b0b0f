package org.k5spark.core.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Contiguous little-endian tensor bytes into an NDArray or host floats: the one path every weight format shares. */
final class TensorBytes {
  private TensorBytes() {}

  /** @param target null keeps the stored type (BF16 becomes FLOAT32); BFLOAT16 is refused (DJL aborts on it) */
  static NDArray toNDArray(String key, ByteBuffer raw, Dtype dtype, long[] shape, NDManager manager, DataType target) {
    if (target == DataType.BFLOAT16) {
      throw new WeightFileException("refusing to create a BFLOAT16 NDArray for '" + key + "': DJL aborts the JVM on it");
    }
    NDArray fast = NativeTensorCopy.load(raw, dtype, shape, target, manager);
    if (fast != null) {
      fast.setName(key);
      return fast;
    }
    NDArray arr;
    ByteBuffer src = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (dtype == Dtype.BF16) {
      // DJL cannot hold bfloat16 (a BF16 NDArray aborts the JVM): widen to float32 in Java first.
      int n = src.remaining() / 2;
      ByteBuffer dst = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder());
      for (int i = 0; i < n; i++) {
        dst.putFloat(4 * i, Bf16.toFloat(src.getShort(src.position() + 2 * i)));
      }
      arr = manager.create(dst, new Shape(shape), DataType.FLOAT32);
    } else {
      ByteBuffer dst = ByteBuffer.allocateDirect(src.remaining()).order(ByteOrder.nativeOrder());
      dst.put(src);
      dst.rewind();
      arr = manager.create(dst, new Shape(shape), dtype.djlType());
    }
    arr.setName(key);
    if (target != null && arr.getDataType() != target) {
      NDArray c = arr.toType(target, false);
      c.setName(key);
      arr.close();
      arr = c;
    }
    return arr;
  }

  /** Any float dtype as float32 values on the heap; {@code where} names the tensor for the error. */
  static float[] floats(String where, ByteBuffer raw, Dtype dtype) {
    ByteBuffer b = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN).slice().order(ByteOrder.LITTLE_ENDIAN);
    int n = b.remaining() / dtype.size();
    float[] out = new float[n];
    switch (dtype) {
      case F32 -> b.asFloatBuffer().get(out);
      case BF16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = Bf16.toFloat(b.getShort(2 * i));
        }
      }
      case F16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = Fp16.toFloat(b.getShort(2 * i));
        }
      }
      case F64 -> {
        for (int i = 0; i < n; i++) {
          out[i] = (float) b.getDouble(8 * i);
        }
      }
      default -> throw new WeightFileException(where + " is " + dtype + ", not a float tensor");
    }
    return out;
  }
}
