package org.k5spark.core.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.engine.TorchRuntime;

/**
 * Real torch.save files (pipeline-core/tools/pth/make_pth_fixtures.py, torch 1.13) read back value for value
 * against expected.json, which the same script wrote from the tensors torch holds.
 */
class TorchCheckpointTest {
  static Path fixture(String name) throws Exception {
    return Path.of(TorchCheckpointTest.class.getResource("/pth/" + name).toURI());
  }

  private static JsonNode expected(String group) throws Exception {
    return new ObjectMapper().readTree(fixture("expected.json").toFile()).get(group);
  }

  private static final Map<String, Dtype> TORCH_DTYPES = Map.of("torch.float32", Dtype.F32, "torch.float16", Dtype.F16,
      "torch.bfloat16", Dtype.BF16, "torch.float64", Dtype.F64, "torch.int64", Dtype.I64, "torch.int32", Dtype.I32,
      "torch.uint8", Dtype.U8);

  /** Every tensor: dtype, shape, and values exactly (float64 holds every stored float; int64 the integers). */
  private static void assertMatches(TensorSource src, JsonNode exp) {
    List<String> keys = new ArrayList<>();
    exp.fieldNames().forEachRemaining(keys::add);
    assertEquals(new java.util.TreeSet<>(keys), new java.util.TreeSet<>(src.keys()));
    try (NDManager m = TorchRuntime.newManager(Device.cpu())) {
      for (String k : keys) {
        JsonNode e = exp.get(k);
        TensorInfo info = src.info(k);
        assertEquals(TORCH_DTYPES.get(e.get("dtype").asText()), info.dtype(), k);
        long[] shape = new long[e.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = e.get("shape").get(i).asLong();
        }
        assertArrayEquals(shape, info.shape(), k);
        JsonNode v = e.get("values");
        boolean isFloat = info.dtype() == Dtype.F32 || info.dtype() == Dtype.F16 || info.dtype() == Dtype.BF16
            || info.dtype() == Dtype.F64;
        if (isFloat) {
          double[] want = new double[v.size()];
          for (int i = 0; i < want.length; i++) {
            want[i] = v.get(i).asDouble();
          }
          NDArray a = src.load(k, m, DataType.FLOAT64);
          assertArrayEquals(want, a.toDoubleArray(), k); // exact: every stored float is a float64
          assertArrayEquals(shape, a.getShape().getShape(), k);
          if (info.dtype() != Dtype.F64) {
            float[] f = src.floats(k);
            for (int i = 0; i < want.length; i++) {
              assertEquals((float) want[i], f[i], k + "[" + i + "]");
            }
          }
        } else {
          long[] want = new long[v.size()];
          for (int i = 0; i < want.length; i++) {
            want[i] = v.get(i).asLong();
          }
          NDArray a = src.load(k, m, null);
          assertEquals(info.dtype().djlType(), a.getDataType(), k);
          assertArrayEquals(want, a.toType(DataType.INT64, false).toLongArray(), k);
        }
      }
    }
  }

  @Test
  void dtypesViewsAndOffsetsReadExactly() throws Exception {
    // views sharing one storage: f32_t (stride 1,6), f32_slice (offset 8), f32_step (offset 3, stride 5)
    for (String f : List.of("dtypes.pth", "dtypes_p4.pth")) {
      try (TensorSource src = TensorSource.open(fixture(f))) {
        assertInstanceOf(TorchCheckpoint.class, src);
        assertMatches(src, expected("dtypes"));
        assertEquals(List.of("f32", "f32_t", "f32_slice", "f32_step", "f16", "bf16", "f64", "i64", "i32", "u8",
            "scalar", "empty", "param"), List.copyOf(src.keys()), "torch.save's key order");
      }
    }
  }

  @Test
  void stateDictIsUnwrappedAndNestedDictsFlattened() throws Exception {
    // {"state_dict": {"enc": Linear.state_dict(), "scale": t}, "epoch": 7, "name": "amt"} -> enc.weight, enc.bias, scale
    try (TensorSource src = TensorSource.open(fixture("nested.pth"))) {
      assertEquals(List.of("enc.weight", "enc.bias", "scale"), List.copyOf(src.keys()));
      assertMatches(src, expected("nested"));
    }
    try (TensorSource src = TensorSource.open(fixture("model_wrapped.pth"))) {
      assertEquals(List.of("weight", "bias"), List.copyOf(src.keys()));
      assertArrayEquals(new float[] {1, 2, 3, -1, -2, -3}, src.floats("weight"));
      assertArrayEquals(new float[] {0.5f, -0.5f}, src.floats("bias"));
    }
  }

  @Test
  void torchScriptArchiveIsReadAsItsModulesStateDict() throws Exception {
    // torch.jit.save(torch.jit.script(nn.Linear)): data.pkl holds a __torch__...Linear object with weight, bias,
    // training; its code/ (deflated TorchScript source) is never read
    try (TensorSource src = TensorSource.open(fixture("script_linear.pt"))) {
      assertEquals(List.of("weight", "bias"), List.copyOf(src.keys()));
      assertMatches(src, expected("linear"));
    }
  }

  @Test
  void directoryOpensItsTorchFileAndPrefersSafetensors(@TempDir Path dir) throws Exception {
    Files.copy(fixture("model_wrapped.pth"), dir.resolve("head.pth"));
    try (TensorSource src = TensorSource.open(dir)) {
      assertInstanceOf(TorchCheckpoint.class, src);
      assertEquals(List.of("weight", "bias"), List.copyOf(src.keys()));
    }
    new SafetensorsWriter().putFloats("w", new long[] {1}, new float[] {3}).write(dir.resolve("head.safetensors"));
    try (TensorSource src = TensorSource.open(dir)) {
      assertInstanceOf(SafetensorsFile.class, src);
    }
    // the format is told by the bytes: a torch zip named .safetensors still opens as one
    Path renamed = dir.resolve("x").resolve("weights.safetensors");
    Files.createDirectories(renamed.getParent());
    Files.copy(fixture("model_wrapped.pth"), renamed);
    try (TensorSource src = TensorSource.open(renamed)) {
      assertInstanceOf(TorchCheckpoint.class, src);
    }
    assertEquals(renamed + ": a torch.save zip checkpoint, not safetensors; open it with TensorSource.open, which reads"
        + " it without executing anything", assertThrows(WeightFileException.class, () -> SafetensorsFile.open(renamed))
        .getMessage());
  }

  @Test
  void strictLoaderLoadsFromATorchFile() throws Exception {
    try (TensorSource src = TensorSource.open(fixture("nested.pth"));
        NDManager m = TorchRuntime.newManager(Device.cpu())) {
      var w = StrictLoader.load(src, Map.of("enc.weight", new long[] {2, 3}, "enc.bias", new long[] {2}),
          k -> k.equals("scale"), m, DataType.FLOAT32);
      assertArrayEquals(new float[] {1, 2, 3, -1, -2, -3}, w.get("enc.weight").toFloatArray());
      var e = assertThrows(WeightFileException.class, () -> StrictLoader.load(src, Map.of("enc.weight",
          new long[] {3, 2}), k -> !k.equals("enc.weight"), m, DataType.FLOAT32));
      assertEquals(fixture("nested.pth") + ": tensor 'enc.weight' has shape [2, 3], expected [3, 2]", e.getMessage());
    }
  }
}
