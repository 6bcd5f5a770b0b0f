package org.k5spark.core.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.testing.CpuManager;

class SafetensorsFileTest {
  @RegisterExtension
  static final CpuManager cpu = new CpuManager();
  @TempDir Path tmp;

  @Test
  void roundTripsEveryDtype() throws IOException {
    Path f = tmp.resolve("a.safetensors");
    float[] vals = {1.5f, -2.25f, 3.0e-3f, 1234.5f, 0f, -0f};
    new SafetensorsWriter()
        .putFloats("f32", new long[] {2, 3}, vals)
        .putBf16("bf16", new long[] {2, 3}, vals)
        .putLongs("i64", new long[] {3}, new long[] {7, -1, Long.MAX_VALUE})
        .put("u8", Dtype.U8, new long[] {2}, new byte[] {0, (byte) 255})
        .put("bool", Dtype.BOOL, new long[] {2}, new byte[] {1, 0})
        .metadata("format", "pt")
        .write(f);
    try (SafetensorsFile s = SafetensorsFile.open(f)) {
      assertEquals("pt", s.metadata().get("format"));
      assertArrayEquals(vals, s.load("f32", cpu.get(), null).toFloatArray());
      NDArray bf = s.load("bf16", cpu.get(), null);
      // BF16 never reaches DJL: it arrives widened to float32, values rounded to bf16
      assertEquals(DataType.FLOAT32, bf.getDataType());
      float[] got = bf.toFloatArray();
      for (int i = 0; i < vals.length; i++) {
        assertEquals(Bf16.round(vals[i]), got[i], 0f);
      }
      assertEquals(1232.0f, got[3], 0f); // bf16 spacing is 8 between 1024 and 2048
      assertEquals(DataType.FLOAT16, s.load("bf16", cpu.get(), DataType.FLOAT16).getDataType());
      assertArrayEquals(new long[] {7, -1, Long.MAX_VALUE}, s.load("i64", cpu.get(), null).toLongArray());
      assertArrayEquals(new byte[] {0, (byte) 255}, s.load("u8", cpu.get(), null).toByteArray());
      assertArrayEquals(new boolean[] {true, false}, s.load("bool", cpu.get(), null).toBooleanArray());
    }
  }

  /** The native path (libtorch converts from the mapping) gives the Java path's values, for every target. */
  @Test
  void nativeCopyMatchesTheJavaConversions() throws IOException {
    Path f = tmp.resolve("n.safetensors");
    java.util.Random r = new java.util.Random(3);
    float[] vals = new float[4096];
    for (int i = 0; i < vals.length; i++) {
      vals[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3));
    }
    new SafetensorsWriter().putBf16("bf16", new long[] {64, 64}, vals).putFloats("f32", new long[] {4096}, vals)
        .write(f);
    try (SafetensorsFile s = SafetensorsFile.open(f)) {
      NDArray widened = NativeTensorCopy.load(s.raw("bf16"), Dtype.BF16, new long[] {64, 64}, null, cpu.get());
      NDArray half = NativeTensorCopy.load(s.raw("bf16"), Dtype.BF16, new long[] {64, 64}, DataType.FLOAT16, cpu.get());
      NDArray same = NativeTensorCopy.load(s.raw("f32"), Dtype.F32, new long[] {4096}, null, cpu.get());
      assertTrue(widened != null && half != null && same != null, "the native path applies on a CPU PyTorch manager");
      assertEquals(DataType.FLOAT32, widened.getDataType());
      assertEquals(DataType.FLOAT16, half.getDataType());
      float[] w = widened.toFloatArray();
      float[] h = half.toType(DataType.FLOAT32, false).toFloatArray();
      for (int i = 0; i < vals.length; i++) {
        assertEquals(Bf16.round(vals[i]), w[i], 0f, "bf16 -> f32 is exact, entry " + i);
        assertEquals(Fp16.toFloat(Fp16.fromFloat(Bf16.round(vals[i]))), h[i], 0f, "bf16 -> f16 rounds once, entry " + i);
      }
      assertArrayEquals(vals, same.toFloatArray(), 0f);
      assertArrayEquals(w, s.load("bf16", cpu.get(), null).toFloatArray(), 0f, "load() takes the same path");
    }
  }

  @Test
  void fp16Conversions() {
    for (float v : new float[] {0f, 1f, -2.5f, 65504f, 6.1e-5f, 3.0e-7f, 0.1f}) {
      float back = Fp16.toFloat(Fp16.fromFloat(v));
      assertEquals(v, back, Math.abs(v) * 1e-3 + 6e-8, "value " + v);
    }
  }

  private Path rawFile(String header, int dataBytes) throws IOException {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    Path f = tmp.resolve("bad.safetensors");
    Files.write(f, b.array());
    return f;
  }

  @Test
  void corruptHeadersNameFileAndTensor() throws IOException {
    var e1 = assertThrows(WeightFileException.class, () -> SafetensorsFile.open(
        rawFile("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}", 8)));
    assertTrue(e1.getMessage().contains("'w'") && e1.getMessage().contains("outside the data area"), e1.getMessage());
    var e2 = assertThrows(WeightFileException.class, () -> SafetensorsFile.open(
        rawFile("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", 16)));
    assertTrue(e2.getMessage().contains("needs 16 bytes"), e2.getMessage());
    var e3 = assertThrows(WeightFileException.class, () -> SafetensorsFile.open(
        rawFile("{\"w\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1)));
    assertTrue(e3.getMessage().contains("unknown dtype Q7"), e3.getMessage());
    var e4 = assertThrows(WeightFileException.class, () -> SafetensorsFile.open(rawFile(
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
        12)));
    assertTrue(e4.getMessage().contains("overlap"), e4.getMessage());
    var e5 = assertThrows(WeightFileException.class, () -> SafetensorsFile.open(rawFile("not json", 0)));
    assertTrue(e5.getMessage().contains("not valid JSON"), e5.getMessage());
    Path trunc = tmp.resolve("trunc.safetensors");
    Files.write(trunc, new byte[] {(byte) 0xff, 0, 0, 0, 0, 0, 0, 0, '{'});
    var e6 = assertThrows(WeightFileException.class, () -> SafetensorsFile.open(trunc));
    assertTrue(e6.getMessage().contains("header length"), e6.getMessage());
    var e7 = assertThrows(WeightFileException.class, () -> SafetensorsFile.open(tmp.resolve("missing.safetensors")));
    assertTrue(e7.getMessage().contains("missing.safetensors"), e7.getMessage());
  }

  @Test
  void refusesBarePickleAndSendsZipsToTheTorchReader() throws IOException {
    Path pt = tmp.resolve("model.pt");
    Files.write(pt, new byte[] {(byte) 0x80, 2, 'c', 'o', 's'});
    var e = assertThrows(WeightFileException.class, () -> TensorSource.open(pt));
    assertEquals(pt + ": a bare pickle (torch.save before PyTorch 1.6, or pickle.dump), which k5spark does not read; "
        + CheckpointFormat.RESAVE, e.getMessage());
    // a torch.save zip renamed to .safetensors is caught by its "PK" magic, not by the name
    Path zip = tmp.resolve("weights.safetensors");
    Files.write(zip, new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0, 0});
    assertEquals(zip + ": a torch.save zip checkpoint, not safetensors; open it with TensorSource.open, which reads it"
        + " without executing anything", assertThrows(WeightFileException.class, () -> SafetensorsFile.open(zip)).getMessage());
    assertEquals(zip + ": not a readable zip archive (truncated or corrupt?): zip END header not found",
        assertThrows(WeightFileException.class, () -> TensorSource.open(zip)).getMessage());
  }

  /** A safetensors header of 640 bytes starts with 80 02, like pickle protocol 2: it must not be taken for one. */
  @Test
  void safetensorsWhoseLengthLooksLikePickleIsSafetensors() throws IOException {
    Path st = tmp.resolve("x.safetensors");
    byte[] b = new byte[16];
    b[0] = (byte) 0x80;
    b[1] = 2;
    b[8] = '{';
    Files.write(st, b);
    assertEquals(CheckpointFormat.SAFETENSORS, CheckpointFormat.sniff(st));
    Path pickle = tmp.resolve("y.safetensors");
    Files.write(pickle, new byte[] {(byte) 0x80, 2, '}', 'q', 0, 'X', 1, 0, 0});
    assertEquals(CheckpointFormat.PICKLE, CheckpointFormat.sniff(pickle));
  }

  @Test
  void shardedIndexAndStrictLoading() throws IOException {
    new SafetensorsWriter().putFloats("a.weight", new long[] {2, 2}, new float[] {1, 2, 3, 4}).write(tmp.resolve("m-1.safetensors"));
    new SafetensorsWriter().putFloats("b.weight", new long[] {3}, new float[] {5, 6, 7})
        .putFloats("visual.x", new long[] {1}, new float[] {0}).write(tmp.resolve("m-2.safetensors"));
    Files.writeString(tmp.resolve("model.safetensors.index.json"),
        "{\"metadata\":{},\"weight_map\":{\"a.weight\":\"m-1.safetensors\",\"b.weight\":\"m-2.safetensors\","
            + "\"visual.x\":\"m-2.safetensors\"}}");
    try (TensorSource src = TensorSource.open(tmp)) {
      Map<String, long[]> exp = new LinkedHashMap<>();
      exp.put("a.weight", new long[] {2, 2});
      exp.put("b.weight", new long[] {3});
      var w = StrictLoader.load(src, exp, k -> k.startsWith("visual."), cpu.get(), DataType.FLOAT32);
      assertArrayEquals(new float[] {5, 6, 7}, w.get("b.weight").toFloatArray());
      var bad = assertThrows(WeightFileException.class,
          () -> StrictLoader.load(src, Map.of("a.weight", new long[] {4}), k -> true, cpu.get(), DataType.FLOAT32));
      assertTrue(bad.getMessage().contains("m-1.safetensors") && bad.getMessage().contains("'a.weight'")
          && bad.getMessage().contains("[2, 2]") && bad.getMessage().contains("expected [4]"), bad.getMessage());
      var miss = assertThrows(WeightFileException.class,
          () -> StrictLoader.load(src, Map.of("c.weight", new long[] {1}), k -> false, cpu.get(), DataType.FLOAT32));
      assertEquals(tmp.resolve("model.safetensors.index.json") + ": checkpoint does not match the model; missing 1 key(s):"
          + " [c.weight] (e.g. 'c.weight' expected shape [1]); unexpected 3 key(s) in " + tmp.resolve("m-1.safetensors")
          + ": [a.weight, b.weight, visual.x]", miss.getMessage());
    }
    // one file: the missing key's message names it
    try (TensorSource one = TensorSource.open(tmp.resolve("m-1.safetensors"))) {
      Map<String, long[]> exp = new LinkedHashMap<>();
      exp.put("a.weight", new long[] {2, 2});
      exp.put("b.weight", new long[] {3, 4});
      var miss = assertThrows(WeightFileException.class,
          () -> StrictLoader.load(one, exp, k -> false, cpu.get(), DataType.FLOAT32));
      assertEquals(tmp.resolve("m-1.safetensors") + ": checkpoint does not match the model; missing 1 key(s): [b.weight]"
          + " (e.g. 'b.weight' expected shape [3, 4])", miss.getMessage());
    }
  }
}
