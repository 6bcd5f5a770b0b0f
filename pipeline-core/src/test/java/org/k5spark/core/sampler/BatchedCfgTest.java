package org.k5spark.core.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.config.AttentionConfig;
import org.k5spark.core.config.ConfigNode;
import org.k5spark.core.config.DitParams;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.dit.DiffusionTransformer3D;
import org.k5spark.core.dit.attention.AttentionBackend;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.golden.Comparison;
import org.k5spark.core.golden.GoldenCase;
import org.k5spark.core.tiny.TinyCheckpoint;
import org.k5spark.core.weights.TensorSource;

/** Batched classifier-free guidance (cond + uncond as one batch of two) against two separate DiT calls. */
class BatchedCfgTest {
  @TempDir Path root;

  private static Path dir() {
    try {
      return Path.of(BatchedCfgTest.class.getResource("/golden/dit/sampler_cfg/case.json").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void batchedSamplerMatchesTheGoldenTraceAndTwoCalls() {
    try (GoldenCase c = GoldenCase.open(dir()); NDManager m = TorchRuntime.newManager(Device.cpu())) {
      ConfigNode cfg = ConfigNode.root(c.config(), "case.json");
      ConfigNode s = cfg.child("sampler");
      try (TensorSource src = TensorSource.open(c.weightsPath());
          DiffusionTransformer3D dit = DiffusionTransformer3D.load(DitParams.parse(cfg.child("dit_params")),
              AttentionConfig.parse(cfg.child("attention")), src, m, DataType.FLOAT32, AttentionBackend.named("sdpa"))) {
        var settings = new FlowMatchingSampler.Settings(s.positiveInt("num_steps"), s.number("guidance_weight"),
            s.number("scheduler_scale"), c.input("scale_factor", m).toFloatArray());
        Conditioning cond = new Conditioning(c.input("text_embed", m), c.input("pooled_text_embed", m),
            c.input("text_rope_pos", m));
        Conditioning uncond = new Conditioning(c.input("null_text_embed", m), c.input("null_pooled_text_embed", m),
            c.input("null_text_rope_pos", m));
        assertTrue(cond.textEmbed().getShape().get(0) != uncond.textEmbed().getShape().get(0),
            "the case must exercise texts of different lengths");
        Map<String, NDArray> trace = new HashMap<>();
        float[] batched = new FlowMatchingSampler(dit, null, true).sample(c.input("noise", m), cond, uncond, settings,
            StepListener.NONE, (n, v) -> {
              NDArray kept = v.duplicate();
              kept.attach(m);
              trace.put(n, kept);
            }).toFloatArray();
        assertEquals(2L * settings.numSteps(), dit.visualPasses());
        int checked = 0;
        for (GoldenCase.Ref ref : c.trace().values()) {
          if (!ref.name().contains("velocity")) {
            continue;
          }
          Comparison r = Comparison.of(c, ref, trace.get(ref.name()));
          assertTrue(r.pass(), ref.name() + ": " + r.detail() + " max_abs=" + r.maxAbs());
          checked++;
        }
        assertEquals(3 * settings.numSteps(), checked);
        float[] separate = new FlowMatchingSampler(dit).sample(c.input("noise", m), cond, uncond, settings,
            StepListener.NONE, null).toFloatArray();
        double rel = MagCacheTest.relL2(batched, separate);
        System.out.printf("batched CFG vs two calls (golden sampler_cfg): rel_l2 = %.3e%n", rel);
        assertTrue(rel < 1e-5, "rel L2 " + rel);
      }
    }
  }

  @Test
  void tinyModelPairEqualsTwoForwards() {
    ModelConfig tiny = ModelConfig.embedded("tiny");
    Path ckpt = TinyCheckpoint.writeDit(tiny, root);
    try (NDManager m = TorchRuntime.newManager(Device.cpu()); TensorSource src = TensorSource.open(ckpt);
        DiffusionTransformer3D dit = DiffusionTransformer3D.load(tiny.ditParams(), tiny.attention(), src, m,
            DataType.FLOAT32, AttentionBackend.named("sdpa"))) {
      DitParams p = tiny.ditParams();
      m.getEngine().setRandomSeed(11);
      Shape latent = LatentGeometry.latentShape(tiny, 64, 96, 1);
      NDArray x = m.randomNormal(new Shape(latent.get(0), latent.get(1), latent.get(2), p.visualEmbedDim()));
      NDArray[] vpos = {m.arange(0, (int) latent.get(0), 1, DataType.INT64),
          m.arange(0, (int) latent.get(1) / 2, 1, DataType.INT64), m.arange(0, (int) latent.get(2) / 2, 1, DataType.INT64)};
      var a = new DiffusionTransformer3D.Inputs(x, m.randomNormal(new Shape(13, p.inTextDim())),
          m.randomNormal(new Shape(1, p.inTextDim2())), m.create(new float[] {900f}), vpos,
          m.arange(0, 13, 1, DataType.INT64), tiny.metrics().scaleFactor());
      var b = new DiffusionTransformer3D.Inputs(x, m.randomNormal(new Shape(6, p.inTextDim())),
          m.randomNormal(new Shape(1, p.inTextDim2())), m.create(new float[] {900f}), vpos,
          m.arange(0, 6, 1, DataType.INT64), tiny.metrics().scaleFactor());
      NDList pair = dit.forwardPair(a, b, null, null);
      float[] va = dit.forward(a, null).toFloatArray();
      float[] vb = dit.forward(b, null).toFloatArray();
      double ra = MagCacheTest.relL2(pair.get(0).toFloatArray(), va);
      double rb = MagCacheTest.relL2(pair.get(1).toFloatArray(), vb);
      System.out.printf("tiny forwardPair vs forward: rel_l2 cond %.3e uncond %.3e%n", ra, rb);
      assertTrue(ra < 1e-5 && rb < 1e-5, ra + " " + rb);
      assertTrue(MagCacheTest.relL2(va, vb) > 1e-2, "the two texts must give different velocities");
    }
  }
}
