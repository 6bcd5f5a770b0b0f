package org.k5spark.core.dit.nabla;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.k5spark.core.dit.attention.AttentionBackend;
import org.k5spark.core.engine.TorchRuntime;

class BlockSparseAttentionTest {
  /** A sparse random block mask (some rows keep one block, some all): gathered = dense masked attention. */
  @ParameterizedTest
  @ValueSource(strings = {"sdpa", "chunked"})
  void gatheredBlocksEqualDenseMaskedAttention(String backendName) {
    AttentionBackend backend = AttentionBackend.named(backendName);
    int nb = 5;
    int heads = 3;
    int block = 64;
    try (NDManager m = TorchRuntime.newManager(Device.cpu())) {
      Random r = new Random(7);
      boolean[] mask = new boolean[heads * nb * nb];
      for (int h = 0; h < heads; h++) {
        for (int i = 0; i < nb; i++) {
          for (int j = 0; j < nb; j++) {
            mask[(h * nb + i) * nb + j] = i == j || (i + h) % 3 != 0 && r.nextInt(3) == 0 || i == nb - 1;
          }
        }
      }
      NDArray bm = m.create(mask, new Shape(heads, nb, nb));
      NDArray q = m.randomNormal(new Shape(nb * block, heads, 16));
      NDArray k = m.randomNormal(new Shape(nb * block, heads, 16));
      NDArray v = m.randomNormal(new Shape(nb * block, heads, 16));
      float[] dense = backend.attend(q, k, v, bm.repeat(1, block).repeat(2, block)).toFloatArray();
      float[] sparse = BlockSparseAttention.attend(q, k, v, bm, block, backend).toFloatArray();
      assertEquals(nb * block * heads * 16, sparse.length);
      assertArrayEquals(dense, sparse, 2e-5f);
      System.setProperty("k5.nabla.gather_elements", "1"); // one query block per chunk
      try {
        assertArrayEquals(dense, BlockSparseAttention.attend(q, k, v, bm, block, backend).toFloatArray(), 2e-5f);
      } finally {
        System.clearProperty("k5.nabla.gather_elements");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void staMaskIsTheWindowOverBlockCoordinates(int wT) {
    try (NDManager m = TorchRuntime.newManager(Device.cpu())) {
      // T'=3, 2 x 3 blocks per frame; block b = t*6 + hb*3 + wb
      boolean[] s = NablaAttention.staMask(3, 2, 3, wT, 1, 3, m).toBooleanArray();
      int nb = 18;
      assertEquals(nb * nb, s.length);
      // same frame, same row, neighbouring column: kept; other row: dropped (wH = 1 -> |dh| <= 0)
      assertEquals(true, s[0 * nb + 1]);
      assertEquals(false, s[0 * nb + 3]);
      assertEquals(false, s[0 * nb + 2]); // |dw| = 2 > 3 // 2
      assertEquals(wT == 3, s[0 * nb + 6]); // next frame
      assertEquals(false, s[0 * nb + 12]); // two frames away
    }
  }
}
