package org.k5spark.core.tiny;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.weights.Bf16;
import org.k5spark.core.weights.TensorSource;

/** Tensors streamed chunk by chunk read back through the loader with their exact values and shapes. */
class StreamingSafetensorsTest {
  @TempDir Path dir;

  @Test
  void chunkedValuesReadBackExactly() throws Exception {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    shapes.put("a.weight", new long[] {3, 1_000_000}); // three chunks, the last one partial
    shapes.put("b.bias", new long[] {5});
    StreamingSafetensors.Values v = (key, shape, start, out, n) -> {
      for (int i = 0; i < n; i++) {
        out[i] = (key.startsWith("a") ? 1e-3f : 1f) * ((start + i) % 977) - 0.25f;
      }
    };
    for (boolean bf16 : new boolean[] {true, false}) {
      Path f = dir.resolve(bf16 ? "bf16.safetensors" : "f32.safetensors");
      StreamingSafetensors.write(f, shapes, bf16, Map.of("format", "pt"), v);
      assertFalse(Files.exists(f.resolveSibling(f.getFileName() + ".tmp")));
      try (TensorSource src = TensorSource.open(f); NDManager m = TorchRuntime.newManager(Device.cpu())) {
        assertArrayEquals(new long[] {3, 1_000_000}, src.info("a.weight").shape());
        float[] a = src.load("a.weight", m, DataType.FLOAT32).toFloatArray();
        float[] b = src.load("b.bias", m, DataType.FLOAT32).toFloatArray();
        for (int i : new int[] {0, 976, 977, 1_048_575, 1_048_576, 2_999_999}) {
          float want = 1e-3f * (i % 977) - 0.25f;
          assertEquals(bf16 ? Bf16.round(want) : want, a[i], 0f, "a[" + i + "]");
        }
        assertEquals(bf16 ? Bf16.round(3.75f) : 3.75f, b[4], 0f);
      }
    }
  }
}
