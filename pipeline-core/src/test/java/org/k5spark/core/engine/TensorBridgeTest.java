package org.k5spark.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
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

  /**
   * Every dtype the pipeline hands across keeps its type, shape, strides and values both ways, on the CPU and,
   * where the machine has one, on the GPU (the handle is device-independent, so the same checks apply).
   */
  @Test
  void roundTripKeepsDtypeShapeStridesValuesAndDevice() {
    List<Device> devices = new ArrayList<>(List.of(Device.cpu()));
    Device auto = TorchRuntime.device("auto"); // after TorchRuntime.init(): DJL must not load its own libtorch
    if (auto.isGpu()) {
      devices.add(auto);
    }
    // integers 0..100 are exact in every one of these types, so the round trip must be bit-exact. No BFLOAT16:
    // a bf16 DJL NDArray aborts the JVM (see NativeTensorCopy), so bf16 never crosses this bridge
    float[] values = {0, 1, 2, 3, 64, 100};
    Object[][] types = {
        {DataType.FLOAT32, torch.ScalarType.Float, 4L}, {DataType.FLOAT16, torch.ScalarType.Half, 2L},
        {DataType.INT64, torch.ScalarType.Long, 8L},
        {DataType.INT32, torch.ScalarType.Int, 4L}, {DataType.UINT8, torch.ScalarType.Byte, 1L}};
    for (Device device : devices) {
      try (NDManager m = TorchRuntime.newManager(device)) {
        for (Object[] type : types) {
          DataType dt = (DataType) type[0];
          String what = device + " " + dt;
          NDArray x = m.create(values, new Shape(2, 3)).toType(dt, false);
          try (NDManager s = m.newSubManager(); Tensor t = TensorBridge.view(x);
              Tensor tt = TensorBridge.view(x.transpose(1, 0))) {
            assertEquals(type[1].toString(), t.scalar_type().toString(), what); // JavaCPP enums: compare by name
            assertEquals((long) type[2], t.element_size(), what);
            assertEquals(device.isGpu(), t.is_cuda(), what);
            assertEquals(List.of(2L, 3L, 3L, 1L), List.of(t.size(0), t.size(1), t.stride(0), t.stride(1)), what);
            // the transposed view is the same storage with swapped strides: no copy was made
            assertEquals(List.of(3L, 2L, 1L, 3L), List.of(tt.size(0), tt.size(1), tt.stride(0), tt.stride(1)), what);
            assertFalse(tt.is_contiguous(), what);
            assertEquals(t.data_ptr().address(), tt.data_ptr().address(), what);
            NDArray back = TensorBridge.adopt(t.clone(), s);
            assertEquals(dt, back.getDataType(), what);
            assertEquals(device, back.getDevice(), what);
            assertEquals(new Shape(2, 3), back.getShape(), what);
            assertArrayEquals(values, back.toType(DataType.FLOAT32, false).toFloatArray(), 0f, what);
            NDArray backT = TensorBridge.adopt(tt.contiguous(), s);
            assertArrayEquals(new float[] {0, 3, 1, 64, 2, 100}, backT.toType(DataType.FLOAT32, false).toFloatArray(),
                0f, what);
          }
        }
      }
    }
  }
}
