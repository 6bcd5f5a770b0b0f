package org.k5spark.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class TensorBridgeTest {
  @Test
  void viewSharesTheTensorAndAdoptHandsOwnershipToDjl() {
    try (NDManager m = TorchRuntime.newManager(Device.cpu())) {
      NDArray x = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
      NDArray xt = x.transpose(1, 0); // a strided view: the handle keeps its strides
      try (Tensor t = TensorBridge.view(xt); Scalar two = new Scalar(2.0)) {
        assertEquals(3, t.size(0));
        t.mul_(two); // in place on the JavaCPP side ...
      }
      assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, x.toFloatArray(), 0f); // ... visible on the DJL side
      for (int i = 0; i < 2000; i++) { // ownership moves cleanly: no double free, no leak of the handle
        try (NDManager s = m.newSubManager(); Tensor v = TensorBridge.view(x)) {
          NDArray sum = TensorBridge.adopt(v.add(v), s);
          assertArrayEquals(new float[] {4, 8, 12, 16, 20, 24}, sum.toFloatArray(), 0f);
        }
      }
      System.gc();
    }
  }

  /** Hand-off cost, DJL to JavaCPP, for a 4096 x 1792 float32 activation (printed, not asserted). */
  @Test
  void handleViewIsConstantTimeAndDeviceIndependent() {
    try (NDManager m = TorchRuntime.newManager(Device.cpu())) {
      NDArray x = m.randomNormal(new Shape(4096, 1792));
      int n = 200;
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        try (Tensor t = TensorBridge.view(x)) {
          assertEquals(1792, t.size(1));
        }
      }
      long viaHandle = (System.nanoTime() - t0) / n;
      t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        // the CPU-only alternative of notes/stack.md §8: a direct buffer over the data + from_blob
        ByteBuffer bb = ((PtNDArray) x).toByteBuffer(true);
        try (BytePointer p = new BytePointer(bb); TensorOptions o = new TensorOptions(torch.ScalarType.Float);
            Tensor t = torch.from_blob(p, new long[] {4096, 1792}, o)) {
          assertEquals(1792, t.size(1));
        }
      }
      long viaBuffer = (System.nanoTime() - t0) / n;
      System.out.printf("DJL->JavaCPP hand-off 4096x1792 f32: handle %.1f us, toByteBuffer+from_blob %.1f us%n",
          viaHandle / 1e3, viaBuffer / 1e3);
      assertTrue(viaHandle < 5_000_000, "handle view must not copy");
    }
  }
}
