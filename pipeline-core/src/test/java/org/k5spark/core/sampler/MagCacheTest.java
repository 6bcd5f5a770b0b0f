package org.k5spark.core.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.k5spark.core.config.AttentionConfig;
import org.k5spark.core.config.ConfigNode;
import org.k5spark.core.config.DitParams;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.dit.DiffusionTransformer3D;
import org.k5spark.core.dit.VisualBlockSkip;
import org.k5spark.core.dit.attention.AttentionBackend;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.golden.GoldenCase;
import org.k5spark.core.weights.TensorSource;

/** MagCache against the reference rule, on the golden sampler_cfg DiT (a tiny DiT of the real architecture). */
class MagCacheTest {
  private static Path dir() {
    try {
      return Path.of(MagCacheTest.class.getResource("/golden/dit/sampler_cfg/case.json").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The reference's rule written out as a plain simulation of magcache_utils.py (the python list of ratios
   * with two 1.0 in front, nearest interpolation per branch when its length is not 2 * steps, and the
   * counter / accumulators of magcache_forward): returns how many DiT calls run the visual blocks.
   */
  static int referenceComputedCalls(double[] configured, int steps, boolean cfg, double thresh, int k, double keep) {
    List<Double> mag = new ArrayList<>(List.of(1.0, 1.0));
    for (double r : configured) {
      mag.add(r);
    }
    if (mag.size() != steps * 2) {
      List<Double> con = new ArrayList<>();
      List<Double> ucon = new ArrayList<>();
      for (int i = 0; i < mag.size(); i++) {
        (i % 2 == 0 ? con : ucon).add(mag.get(i));
      }
      List<Double> inter = new ArrayList<>();
      for (int i = 0; i < steps; i++) {
        inter.add(pick(con, steps, i));
        inter.add(pick(ucon, steps, i));
      }
      mag = inter;
    }
    int numSteps = steps * 2;
    int cnt = 0;
    double[] ratio = {1, 1};
    double[] err = {0, 0};
    int[] acc = {0, 0};
    boolean[] cached = {false, false};
    int computed = 0;
    int calls = cfg ? 2 * steps : steps;
    for (int call = 0; call < calls; call++) {
      boolean skip = false;
      int b = cnt % 2;
      if (cnt >= (int) (numSteps * keep)) {
        ratio[b] = ratio[b] * mag.get(cnt);
        acc[b] += 1;
        err[b] += Math.abs(1 - ratio[b]);
        if (err[b] < thresh && acc[b] <= k) {
          skip = true;
        } else {
          err[b] = 0;
          acc[b] = 0;
          ratio[b] = 1.0;
        }
      }
      if (!skip) {
        computed++;
        cached[b] = true;
      }
      assertTrue(cached[b], "the reference would reuse a residual it never computed at call " + call);
      cnt += cfg ? 1 : 2;
      if (cnt >= numSteps) {
        cnt = 0;
      }
    }
    return computed;
  }

  private static double pick(List<Double> src, int target, int i) {
    if (target == 1) {
      return src.get(src.size() - 1);
    }
    double scale = (src.size() - 1) / (double) (target - 1);
    return src.get((int) Math.rint(i * scale)); // np.round: half to even
  }

  /** Runs the sampler on the golden tiny DiT; returns {visual passes, final latent}. */
  private static Object[] run(BlockSkipping mc, int steps, double guidance) {
    try (GoldenCase c = GoldenCase.open(dir()); NDManager m = TorchRuntime.newManager(Device.cpu())) {
      ConfigNode cfg = ConfigNode.root(c.config(), "case.json");
      try (TensorSource src = TensorSource.open(c.weightsPath());
          DiffusionTransformer3D dit = DiffusionTransformer3D.load(DitParams.parse(cfg.child("dit_params")),
              AttentionConfig.parse(cfg.child("attention")), src, m, DataType.FLOAT32, AttentionBackend.named("sdpa"))) {
        var settings = new FlowMatchingSampler.Settings(steps, guidance, 5.0, c.input("scale_factor", m).toFloatArray());
        FlowMatchingSampler sampler = new FlowMatchingSampler(dit, mc);
        NDArray out = sampler.sample(c.input("noise", m),
            new Conditioning(c.input("text_embed", m), c.input("pooled_text_embed", m), c.input("text_rope_pos", m)),
            new Conditioning(c.input("null_text_embed", m), c.input("null_pooled_text_embed", m),
                c.input("null_text_rope_pos", m)), settings, StepListener.NONE, null);
        int calls = settings.guided() ? 2 * steps : steps;
        assertEquals(calls - dit.visualPasses(), sampler.lastSkipped(), "skips reported = calls not run");
        return new Object[] {dit.visualPasses(), out.toFloatArray()};
      }
    }
  }

  @Test
  void handMadeRatiosGiveTheHandComputedSchedule() {
    // 5 steps: [1, 1] + 8 ratios = 10 = 2 * steps, no interpolation; calls 0, 1 protected (int(10 * 0.2) = 2).
    // cond (even): 1.01 x4 -> skip (err .01), skip (.0301), run (3 > K), skip  => 2 of 5 run
    // uncond (odd): 1.2, 1, 1, 1 -> run (err .2), skip, skip, run (3 > K)      => 3 of 5 run
    double[] ratios = {1.01, 1.2, 1.01, 1.0, 1.01, 1.0, 1.01, 1.0};
    assertEquals(5, referenceComputedCalls(ratios, 5, true, 0.12, 2, 0.2));
    assertEquals(5L, run(MagCache.reference(ratios), 5, 5.0)[0]);
    // no CFG: calls 0, 2, 4, 6, 8 on the cond ratios: run (protected), skip, skip, run, skip => 2
    assertEquals(2, referenceComputedCalls(ratios, 5, false, 0.12, 2, 0.2));
    assertEquals(2L, run(MagCache.reference(ratios), 5, 1.0)[0]);
  }

  @Test
  void sft5sRatiosWithFiftyStepsMatchTheReferenceRule() {
    double[] ratios = ModelConfig.embedded("sft_5s").magRatios();
    assertEquals(98, ratios.length);
    int expected = referenceComputedCalls(ratios, 50, true, 0.12, 2, 0.2);
    // the reference's own magcache_utils rule run in Python (numpy) on these ratios gives 48 of 100
    assertEquals(48, expected);
    assertEquals((long) expected, run(MagCache.reference(ratios), 50, 5.0)[0]);
  }

  @Test
  @Tag("slow")
  void interpolatedAndNoCfgSchedulesMatchTheReferenceRule() {
    double[] ratios = ModelConfig.embedded("sft_5s").magRatios();
    // fewer steps than the table: nearest interpolation per branch
    int interp = referenceComputedCalls(ratios, 16, true, 0.12, 2, 0.2);
    assertEquals(16, interp); // Python port of the reference: 16 of 32
    assertEquals((long) interp, run(MagCache.reference(ratios), 16, 5.0)[0]);
    int nocfg = referenceComputedCalls(ModelConfig.embedded("nocfg_5s").magRatios(), 50, false, 0.12, 2, 0.2);
    assertEquals(24, nocfg); // Python port of the reference: 24 of 50
    assertEquals((long) nocfg, run(MagCache.reference(ModelConfig.embedded("nocfg_5s").magRatios()), 50, 1.0)[0]);
  }

  @Test
  void neverSkippingIsBitIdenticalToTheExactSampler() {
    double[] ratios = ModelConfig.embedded("sft_5s").magRatios();
    Object[] exact = run(null, 5, 5.0);
    assertEquals(10L, exact[0]);
    Object[] noSkip = run(new MagCache(ratios, 0.0, 2, 0.2), 5, 5.0);
    assertEquals(10L, noSkip[0]);
    assertArrayEquals((float[]) exact[1], (float[]) noSkip[1], 0f);
    // with skips the result moves, but stays close to the exact one (the residual is reused, not dropped)
    // all ratios 1: the error never grows, so only K = 2 caps the skips. Calls 0, 1 protected (int(10 * 0.2));
    // per branch the 4 eligible calls go skip, skip, run (3rd > K, reset), skip => 1 + 1 of 5 run, 4 in all
    Object[] skipped = run(MagCache.reference(new double[] {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0}), 5, 5.0);
    assertEquals(4L, skipped[0]);
    double rel = relL2((float[]) skipped[1], (float[]) exact[1]);
    // the same 6 calls skipped with the residual dropped (zeros) instead of reused: reuse must be the closer one
    Object[] dropped = run(new DroppedResidual(java.util.Set.of(2, 3, 4, 5, 8, 9)), 5, 5.0);
    assertEquals(4L, dropped[0]);
    double relDropped = relL2((float[]) dropped[1], (float[]) exact[1]);
    assertTrue(rel > 1e-3, "6 of 10 calls reuse a stale residual: the sample must move, rel " + rel);
    // (measured on this golden case: 0.40 reused vs 0.59 dropped)
    assertTrue(rel < relDropped, "reused residual: rel " + rel + ", dropped residual: rel " + relDropped);
  }

  @Test
  void reusingTheResidualOfTheSameInputReproducesTheBlocks() {
    try (GoldenCase c = GoldenCase.open(dir()); NDManager m = TorchRuntime.newManager(Device.cpu())) {
      ConfigNode cfg = ConfigNode.root(c.config(), "case.json");
      try (TensorSource src = TensorSource.open(c.weightsPath());
          DiffusionTransformer3D dit = DiffusionTransformer3D.load(DitParams.parse(cfg.child("dit_params")),
              AttentionConfig.parse(cfg.child("attention")), src, m, DataType.FLOAT32, AttentionBackend.named("sdpa"))) {
        NDArray noise = c.input("noise", m);
        NDArray x = noise.concat(m.zeros(noise.getShape()), 3).concat(m.zeros(new ai.djl.ndarray.types.Shape(3, 6, 8, 1)), 3);
        var in = new DiffusionTransformer3D.Inputs(x, c.input("text_embed", m), c.input("pooled_text_embed", m),
            m.create(new float[] {700f}), new NDArray[] {c.input("visual_rope_pos.0", m), c.input("visual_rope_pos.1", m),
                c.input("visual_rope_pos.2", m)}, c.input("text_rope_pos", m), c.input("scale_factor", m).toFloatArray());
        NDArray[] kept = new NDArray[1];
        float[] full = dit.forward(in, null, new VisualBlockSkip() {
          @Override
          public NDArray residualToReuse() {
            return null;
          }

          @Override
          public void computed(NDArray r) {
            r.attach(m);
            kept[0] = r;
          }
        }).toFloatArray();
        long passes = dit.visualPasses();
        float[] reused = dit.forward(in, null, new VisualBlockSkip() {
          @Override
          public NDArray residualToReuse() {
            return kept[0];
          }

          @Override
          public void computed(NDArray r) {
            throw new AssertionError("blocks ran although a residual was offered");
          }
        }).toFloatArray();
        assertEquals(passes, dit.visualPasses());
        assertTrue(relL2(reused, full) < 1e-5, "rel " + relL2(reused, full));
        assertArrayEquals(full, dit.forward(in, null).toFloatArray(), 0f);
      }
    }
  }

  @Test
  void interpolationAndMissingRatios() {
    // numpy: round(arange(3) * 4 / 2) = [0, 2, 4]; round(arange(5) * 2 / 4) = round([0, .5, 1, 1.5, 2]) = [0, 0, 1, 2, 2]
    assertArrayEquals(new double[] {10, 12, 14}, MagCache.nearest(new double[] {10, 11, 12, 13, 14}, 3), 0);
    assertArrayEquals(new double[] {10, 10, 11, 12, 12}, MagCache.nearest(new double[] {10, 11, 12}, 5), 0);
    assertArrayEquals(new double[] {12}, MagCache.nearest(new double[] {10, 11, 12}, 1), 0);
    assertEquals(100, MagCache.reference(ModelConfig.embedded("sft_5s").magRatios()).ratiosFor(50).length);
    // the replay agrees with the reference rule's count (see referenceComputedCalls)
    double[] sft = ModelConfig.embedded("sft_5s").magRatios();
    assertEquals(100 - referenceComputedCalls(sft, 50, true, 0.12, 2, 0.2),
        MagCache.reference(sft).skippedCalls(50, true));
    assertEquals(52, MagCache.reference(sft).skippedCalls(50, true), "48 of 100 calls run their blocks");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MagCache.reference(ModelConfig.embedded("distil_5s").magRatios()));
    assertEquals("MagCache needs the variant's magcache.mag_ratios; the config has none", e.getMessage());
  }

  /** Skips the visual blocks on the given call indices and adds nothing for them: MagCache without its cache. */
  private record DroppedResidual(java.util.Set<Integer> skipCalls) implements BlockSkipping {
    @Override
    public Run start(int numSteps, boolean guided, NDManager cacheManager) {
      return new Run() {
        private int call;
        private int skipped;
        private NDArray zeros;

        @Override
        public VisualBlockSkip nextCall() {
          boolean skip = skipCalls.contains(call++);
          if (skip) {
            skipped++;
          }
          return new VisualBlockSkip() {
            @Override
            public NDArray residualToReuse() {
              return skip ? zeros : null;
            }

            @Override
            public void computed(NDArray residual) {
              if (zeros == null) {
                zeros = residual.zerosLike();
                zeros.attach(cacheManager);
              }
            }
          };
        }

        @Override
        public int skipped() {
          return skipped;
        }

        @Override
        public void close() {
        }
      };
    }
  }

  static double relL2(float[] a, float[] b) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < a.length; i++) {
      num += (a[i] - b[i]) * (double) (a[i] - b[i]);
      den += b[i] * (double) b[i];
    }
    return Math.sqrt(num / den);
  }
}
