package org.k5spark.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.config.AttentionConfig;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.dit.DiffusionTransformer3D;
import org.k5spark.core.dit.attention.AttentionBackend;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.sampler.InitialNoise;
import org.k5spark.core.tiny.TinyCheckpoint;
import org.k5spark.core.weights.TensorSource;

/** The 10 s variants' NABLA attention on the tiny model (configs/model/tiny_10s.yaml). */
class TinyNablaTest {
  @TempDir static Path root;

  private static NDArray forward(ModelConfig cfg, AttentionConfig attention, NDManager m, long seed, Shape latent) {
    try (TensorSource src = TensorSource.open(cfg.checkpoint(root))) {
      DiffusionTransformer3D dit = DiffusionTransformer3D.load(cfg.ditParams(), attention, src, m, DataType.FLOAT32,
          AttentionBackend.named("sdpa"));
      var p = cfg.ditParams();
      NDArray x = InitialNoise.gaussian(seed, new Shape(latent.get(0), latent.get(1), latent.get(2),
          2L * p.inVisualDim() + 1), m);
      NDArray text = InitialNoise.gaussian(seed + 1, new Shape(9, p.inTextDim()), m);
      NDArray pooled = InitialNoise.gaussian(seed + 2, new Shape(1, p.inTextDim2()), m);
      NDArray[] vpos = {m.arange(0, (int) latent.get(0), 1, DataType.INT64),
          m.arange(0, (int) latent.get(1) / 2, 1, DataType.INT64), m.arange(0, (int) latent.get(2) / 2, 1, DataType.INT64)};
      return dit.forward(new DiffusionTransformer3D.Inputs(x, text, pooled, m.create(new float[] {730f}, new Shape(1)),
          vpos, m.arange(0, 9, 1, DataType.INT64), cfg.metrics().scaleFactor()), null);
    }
  }

  @Test
  void nablaEqualsDenseWhenEveryBlockIsSelected() {
    ModelConfig cfg = ModelConfig.embedded("tiny_10s");
    TinyCheckpoint.ensure(cfg, root);
    // P = 1 keeps every key block (cumulative sum >= 0 always holds); wT/wH/wW as configured
    AttentionConfig all = new AttentionConfig("nabla", 1.0, cfg.attention().wT(), cfg.attention().wH(),
        cfg.attention().wW(), true, "topcdf");
    try (NDManager m = TorchRuntime.newManager(Device.cpu())) {
      Shape latent = new Shape(3, 32, 16, 16); // patch grid 16x8: two 8x8 blocks per frame
      NDArray nabla = forward(cfg, all, m, 5, latent);
      NDArray dense = forward(cfg, AttentionConfig.DENSE, m, 5, latent);
      float maxAbs = nabla.sub(dense).abs().max().getFloat();
      assertTrue(maxAbs < 2e-5f, "max |nabla - dense| = " + maxAbs);
      // and the configured P = 0.9 really drops blocks: against dense attention on the same inputs the output
      // moves by far more than the 2e-5 float noise above ...
      Shape big = new Shape(9, 32, 32, 16);
      NDArray sparse = forward(cfg, cfg.attention(), m, 5, big);
      NDArray denseBig = forward(cfg, AttentionConfig.DENSE, m, 5, big);
      assertEquals(big, sparse.getShape());
      float moved = sparse.sub(denseBig).abs().max().getFloat();
      assertTrue(moved > 1e-3f, "max |nabla(P=0.9) - dense| = " + moved + ": no block was dropped");
      // ... yet stays near it: top-cdf keeps, per query block, key blocks holding >= P of the softmax mass, so a
      // renormalised attention output moves by at most 2 (1 - P) of |v|; the residual stream only dilutes that
      double p = cfg.attention().p();
      double rel = sparse.sub(denseBig).norm().getFloat() / denseBig.norm().getFloat();
      assertTrue(rel < 2 * (1 - p), "relative L2 |nabla - dense| / |dense| = " + rel);
    }
  }

  @Test
  @Tag("slow")
  void tenSecondTinyGenerationRunsWithNabla() {
    ModelConfig cfg = ModelConfig.embedded("tiny_10s");
    TinyCheckpoint.ensure(cfg, root);
    try (Kandinsky5Pipeline p = Kandinsky5Pipeline.load(cfg, root, Device.cpu())) {
      GeneratedVideo v = p.generate(VideoRequest.of("a train crosses a bridge at dusk", 3), i -> {});
      // 10 s: 10*24//4+1 = 61 latent frames -> 241 frames at 128x128
      assertEquals(241, v.frames().frames());
      assertEquals(128, v.frames().height());
      assertTrue(v.timings().get("denoise") > 0);
    }
  }
}
