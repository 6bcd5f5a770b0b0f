package org.k5spark.core.dit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.config.AttentionConfig;
import org.k5spark.core.config.DitParams;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.dit.attention.AttentionBackend;
import org.k5spark.core.golden.GoldenCase;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.tiny.TinyCheckpoint;
import org.k5spark.core.weights.Bf16;
import org.k5spark.core.weights.SafetensorsFile;
import org.k5spark.core.weights.SafetensorsWriter;
import org.k5spark.core.weights.TensorSource;
import org.k5spark.core.weights.WeightFileException;

/** Strict loading of DiT checkpoints: tiny checkpoint round trip, BF16 files, broken files. */
class DitCheckpointTest {
  private static NDManager base;

  @BeforeAll
  static void init() {
    base = TorchRuntime.newManager(Device.cpu());
  }

  @AfterAll
  static void close() {
    base.close();
  }

  @Test
  void tinyCheckpointIsDeterministicAndLoadsStrictly(@TempDir Path dir) throws Exception {
    ModelConfig cfg = TinyCheckpoint.writeAll(dir.resolve("a"));
    TinyCheckpoint.writeAll(dir.resolve("b"));
    Path a = cfg.checkpoint(dir.resolve("a"));
    assertEquals(dir.resolve("a/model/kandinsky5lite_t2v_tiny.safetensors"), a);
    assertEquals(sha(a), sha(cfg.checkpoint(dir.resolve("b"))));
    try (SafetensorsFile f = SafetensorsFile.open(a)) {
      assertEquals(DitCheckpointLayout.expectedShapes(cfg.ditParams()).keySet(), f.keys());
      assertEquals("BF16", f.info("out_layer.out_layer.weight").dtype().name());
    }
    try (TensorSource src = TensorSource.open(a);
        DiffusionTransformer3D dit = DiffusionTransformer3D.load(cfg.ditParams(), cfg.attention(), src, base,
            DataType.FLOAT32, AttentionBackend.named("sdpa"));
        NDManager m = base.newSubManager()) {
      DitParams p = cfg.ditParams();
      // deterministic inputs a NumPy script can rebuild: sin(f k + phase) over the flat index k
      NDArray x = wave(m, new long[] {2, 8, 8, p.visualEmbedDim()}, 0.37, 0.0);
      NDArray v = dit.forward(new DiffusionTransformer3D.Inputs(x, wave(m, new long[] {5, p.inTextDim()}, 0.11, 0.5),
          wave(m, new long[] {1, p.inTextDim2()}, 0.23, 1.0), m.create(new float[] {500f}),
          new NDArray[] {m.arange(0, 2, 1, DataType.INT64), m.arange(0, 4, 1, DataType.INT64),
              m.arange(0, 4, 1, DataType.INT64)},
          m.arange(0, 5, 1, DataType.INT64), cfg.metrics().scaleFactor()), null);
      assertEquals(new ai.djl.ndarray.types.Shape(2, 8, 8, 16), v.getShape());
      // known answer: pipeline-core/tools/dit/tiny_forward_answer.py runs this checkpoint through the independent
      // float64 NumPy DiT of shared/golden/tools/numpy_dit_check.py on the same inputs (max |java - numpy| over
      // all 2048 values measured 1.5e-5; values reach 4.3, so fp32 rounding allows ~1e-5, 1e-4 keeps margin)
      float[] f = v.toFloatArray();
      double sq = 0;
      for (float e : f) {
        sq += e * e;
      }
      assertEquals(1.296402592, Math.sqrt(sq / f.length), 1e-5, "rms");
      int[] at = {0, 1, 17, 333, 1024, 2047};
      double[] expected = {-1.154761830, -0.661484775, 0.627782040, -4.151522450, -1.551635961, -0.366076015};
      for (int i = 0; i < at.length; i++) {
        assertEquals(expected[i], f[at[i]], 1e-4, "v[" + at[i] + "]");
      }
    }
  }

  /** {@code sin(freq * k + phase)} for the flat index k, as float32, in {@code shape}. */
  private static NDArray wave(NDManager m, long[] shape, double freq, double phase) {
    int n = (int) java.util.Arrays.stream(shape).reduce(1, (u, w) -> u * w);
    float[] v = new float[n];
    for (int k = 0; k < n; k++) {
      v[k] = (float) Math.sin(freq * k + phase);
    }
    return m.create(v, new ai.djl.ndarray.types.Shape(shape));
  }

  @Test
  void brokenCheckpointsNameTheKeys(@TempDir Path dir) throws IOException {
    Path golden = GoldenCases.dir("dense_small").resolve("weights.safetensors");
    DitParams p;
    try (GoldenCase c = GoldenCase.open(GoldenCases.dir("dense_small"))) {
      p = DitParams.parse(org.k5spark.core.config.ConfigNode.root(c.config(), "case.json").child("dit_params"));
    }
    String victim = "visual_transformer_blocks.1.cross_attention.key_norm.weight";
    Path missing = copy(golden, dir.resolve("missing.safetensors"), victim, null, null);
    WeightFileException e = assertThrows(WeightFileException.class, () -> load(p, missing));
    assertEquals(missing + ": checkpoint does not match the model; missing 1 key(s): [" + victim + "] (e.g. '" + victim
        + "' expected shape [64])", e.getMessage());

    Path extra = copy(golden, dir.resolve("extra.safetensors"), null, "visual_transformer_blocks.2.bogus.weight", null);
    e = assertThrows(WeightFileException.class, () -> load(p, extra));
    assertTrue(e.getMessage().contains("unexpected 1 key") && e.getMessage().contains("visual_transformer_blocks.2.bogus"),
        e.getMessage());

    Path shape = copy(golden, dir.resolve("shape.safetensors"), null, null, "out_layer.out_layer.bias");
    e = assertThrows(WeightFileException.class, () -> load(p, shape));
    assertTrue(e.getMessage().contains("out_layer.out_layer.bias") && e.getMessage().contains("[64]")
        && e.getMessage().contains("shape.safetensors"), e.getMessage());
  }

  @Test
  void bf16CheckpointMatchesFp32ComputeOnRoundedWeights(@TempDir Path dir) throws IOException {
    Path golden = GoldenCases.dir("dense_small").resolve("weights.safetensors");
    SafetensorsWriter bf = new SafetensorsWriter();
    SafetensorsWriter rounded = new SafetensorsWriter();
    try (SafetensorsFile f = SafetensorsFile.open(golden)) {
      for (String k : f.keys()) {
        float[] v = f.floats(k);
        bf.putBf16(k, f.info(k).shape(), v);
        float[] r = new float[v.length];
        for (int i = 0; i < v.length; i++) {
          r[i] = Bf16.round(v[i]);
        }
        rounded.putFloats(k, f.info(k).shape(), r);
      }
    }
    bf.write(dir.resolve("bf16.safetensors"));
    rounded.write(dir.resolve("f32.safetensors"));
    float[] a = DitNumerics.forwardCase("dense_small", dir.resolve("bf16.safetensors"), DataType.FLOAT32, base);
    float[] b = DitNumerics.forwardCase("dense_small", dir.resolve("f32.safetensors"), DataType.FLOAT32, base);
    assertEquals(a.length, b.length);
    for (int i = 0; i < a.length; i++) {
      assertEquals(b[i], a[i], 0f, "element " + i);
    }
  }

  private static void load(DitParams p, Path file) {
    try (TensorSource src = TensorSource.open(file)) {
      DiffusionTransformer3D.load(p, AttentionConfig.DENSE, src, base, DataType.FLOAT32, AttentionBackend.named("chunked"))
          .close();
    }
  }

  /** Copies a safetensors file, dropping {@code drop}, adding {@code add} (1 float), truncating {@code reshape}. */
  private static Path copy(Path src, Path out, String drop, String add, String reshape) throws IOException {
    SafetensorsWriter w = new SafetensorsWriter();
    try (SafetensorsFile f = SafetensorsFile.open(src)) {
      for (String k : f.keys()) {
        if (k.equals(drop)) {
          continue;
        }
        float[] v = f.floats(k);
        if (k.equals(reshape)) {
          w.putFloats(k, new long[] {v.length / 2}, java.util.Arrays.copyOf(v, v.length / 2));
        } else {
          w.putFloats(k, f.info(k).shape(), v);
        }
      }
    }
    if (add != null) {
      w.putFloats(add, new long[] {1}, new float[] {1f});
    }
    w.write(out);
    return out;
  }

  private static String sha(Path p) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }
}
