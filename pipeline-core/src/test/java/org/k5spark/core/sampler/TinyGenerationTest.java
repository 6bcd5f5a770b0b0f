package org.k5spark.core.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.config.AttentionConfig;
import org.k5spark.core.config.DitParams;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.dit.DiffusionTransformer3D;
import org.k5spark.core.dit.attention.AttentionBackend;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.tiny.TinyCheckpoint;
import org.k5spark.core.weights.TensorSource;

class TinyGenerationTest {
  @Test
  void tinyModelGeneratesDeterministicallyFromASeed(@TempDir Path root) {
    ModelConfig cfg = TinyCheckpoint.writeAll(root);
    try (NDManager m = TorchRuntime.newManager(Device.cpu());
        DiffusionTransformer3D dit = DiffusionTransformer3D.load(cfg, root, m, DataType.FLOAT32)) {
      Conditioning cond = new Conditioning(m.randomNormal(new Shape(6, 64)), m.randomNormal(new Shape(1, 32)),
          m.arange(0, 6, 1, DataType.INT64));
      Conditioning neg = new Conditioning(m.randomNormal(new Shape(4, 64)), m.randomNormal(new Shape(1, 32)),
          m.arange(0, 4, 1, DataType.INT64));
      FlowMatchingSampler sampler = new FlowMatchingSampler(dit);
      FlowMatchingSampler.Settings s = FlowMatchingSampler.Settings.of(cfg, null, null);
      List<Integer> steps = new ArrayList<>();
      NDArray a = sampler.generate(cfg, 64, 96, 0.5, 42, cond, neg, s, (i, t, in, v) -> steps.add(i), m);
      NDArray b = sampler.generate(cfg, 64, 96, 0.5, 42, cond, neg, s, StepListener.NONE, m);
      assertEquals(new Shape(4, 8, 12, 16), a.getShape()); // 0.5 s * 24 / 4 + 1 = 4 latent frames
      assertEquals(List.of(0, 1, 2, 3), steps);
      assertArrayEquals(a.toFloatArray(), b.toFloatArray(), 0f);
      for (float f : a.toFloatArray()) {
        assertTrue(Float.isFinite(f));
      }
    }
  }

  /** Without visual_cond the DiT sees the latent alone; one unguided step is exactly noise + dt * v. */
  @Test
  void oneStepWithoutVisualCondIsOneEulerStep(@TempDir Path dir) throws java.io.IOException {
    DitParams p = new DitParams(16, 16, 32, new int[] {1, 2, 2}, 128, 256, 1, 1, new int[] {16, 24, 24}, false, 64, 32);
    try (NDManager m = TorchRuntime.newManager(Device.cpu());
        TensorSource src = TensorSource.open(write(p, dir.resolve("no_cond.safetensors")));
        DiffusionTransformer3D dit = DiffusionTransformer3D.load(p, AttentionConfig.DENSE, src, m, DataType.FLOAT32,
            AttentionBackend.named("chunked"))) {
      NDArray noise = InitialNoise.gaussian(1, new Shape(2, 4, 6, 16), m);
      Conditioning cond = new Conditioning(m.randomNormal(new Shape(3, 64)), m.randomNormal(new Shape(1, 32)),
          m.arange(0, 3, 1, DataType.INT64));
      float[] sf = {1f, 2f, 2f};
      NDArray out = new FlowMatchingSampler(dit).sample(noise, cond, null,
          new FlowMatchingSampler.Settings(1, 1.0, 5.0, sf), StepListener.NONE, null);
      NDArray v = dit.forward(new DiffusionTransformer3D.Inputs(noise, cond.textEmbed(), cond.pooledEmbed(),
          m.create(new float[] {1000f}), new NDArray[] {m.arange(0, 2, 1, DataType.INT64),
              m.arange(0, 2, 1, DataType.INT64), m.arange(0, 3, 1, DataType.INT64)}, cond.ropePos(), sf), null);
      assertArrayEquals(noise.sub(v).toFloatArray(), out.toFloatArray(), 1e-6f); // ts = [1, 0]: dt = -1
    }
  }

  private static Path write(DitParams p, Path file) throws java.io.IOException {
    TinyCheckpoint.ditWriter(p, 3).write(file);
    return file;
  }
}
