package org.k5spark.core.dit.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.k5spark.core.engine.TorchRuntime;

class ChunkedAttentionTest {
  /** Fixed chunk sizes (incl. ones that do not divide L, and one larger than L) give the fused kernel's result. */
  @ParameterizedTest
  @ValueSource(longs = {1, 3, 7, 16, 100})
  void fixedChunkRowsMatchSdpa(long rows) {
    try (NDManager m = TorchRuntime.newManager(Device.cpu())) {
      m.getEngine().setRandomSeed(11);
      NDArray q = m.randomNormal(new Shape(17, 2, 8));
      NDArray k = m.randomNormal(new Shape(13, 2, 8));
      NDArray v = m.randomNormal(new Shape(13, 2, 8));
      NDArray want = new SdpaAttention().attend(q, k, v, null);
      NDArray got = new ChunkedAttention(rows).attend(q, k, v, null);
      assertEquals(new Shape(17, 16), got.getShape());
      assertArrayEquals(want.toFloatArray(), got.toFloatArray(), 1e-5f);
    }
  }

  @Test
  void negativeChunkRowsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new ChunkedAttention(-1));
  }
}
