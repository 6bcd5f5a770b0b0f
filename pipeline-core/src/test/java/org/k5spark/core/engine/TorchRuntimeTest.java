package org.k5spark.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class TorchRuntimeTest {
  @Test
  void djlRunsOnJavacppLibtorch() {
    try (NDManager m = TorchRuntime.newManager(Device.cpu())) {
      NDArray a = m.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
      NDArray b = a.matMul(a);
      assertArrayEquals(new float[] {7, 10, 15, 22}, b.toFloatArray(), 0f);
      assertEquals("2.7.1", Engine.getEngine("PyTorch").getVersion());
    }
  }
}
