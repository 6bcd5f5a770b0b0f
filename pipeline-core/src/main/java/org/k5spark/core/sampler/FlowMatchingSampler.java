package org.k5spark.core.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.dit.DiffusionTransformer3D;
import org.k5spark.core.dit.DitTrace;
import org.k5spark.core.dit.VisualBlockSkip;

/**
 * The reference {@code generation_utils.generate}: Euler integration of the flow-matching velocity from
 * t = 1 (noise) to t = 0 on the warped schedule of {@link Timesteps}, with classifier-free guidance
 * {@code v = v_uncond + w (v_cond - v_uncond)} only when {@code |w - 1| > 1e-6} (no-CFG and distilled models
 * take one DiT call per step). Each step runs in its own sub-manager, so memory does not grow with steps.
 */
public final class FlowMatchingSampler {
  /** The reference's CFG switch: guidance is applied only when |w - 1| exceeds this. */
  public static final double NO_GUIDANCE_EPS = 1e-6;
  /** The reference pipeline's default negative prompt (Kandinsky5T2VPipeline.__call__ negative_caption). */
  public static final String DEFAULT_NEGATIVE_PROMPT = "Static, 2D cartoon, cartoon, 2d animation, paintings, images,"
      + " worst quality, low quality, ugly, deformed, walking backwards";

  private final DiffusionTransformer3D dit;
  private final BlockSkipping skipping;
  private final boolean batchedCfg;
  private volatile int lastSkipped;

  public FlowMatchingSampler(DiffusionTransformer3D dit) {
    this(dit, null);
  }

  /** @param skipping null for exact sampling (every DiT call runs its visual blocks); e.g. {@link MagCache} */
  public FlowMatchingSampler(DiffusionTransformer3D dit, BlockSkipping skipping) {
    this(dit, skipping, false);
  }

  /**
   * @param skipping null for exact sampling (every DiT call runs its visual blocks); e.g. {@link MagCache}
   * @param batchedCfg run the cond and uncond calls of a guided step as one batch of two
   *     ({@link DiffusionTransformer3D#forwardPair}); equal to two calls up to float rounding, about twice the
   *     visual activation memory
   */
  public FlowMatchingSampler(DiffusionTransformer3D dit, BlockSkipping skipping, boolean batchedCfg) {
    this.dit = dit;
    this.skipping = skipping;
    this.batchedCfg = batchedCfg;
  }

  /** DiT calls whose visual blocks MagCache skipped in the last {@link #sample} (0 without MagCache). */
  public int lastSkipped() {
    return lastSkipped;
  }

  /** Sampling settings: steps, guidance weight, scheduler scale, RoPE scale factor. */
  public record Settings(int numSteps, double guidanceWeight, double schedulerScale, float[] scaleFactor) {
    public boolean guided() {
      return Math.abs(guidanceWeight - 1.0) > NO_GUIDANCE_EPS;
    }

    /** The variant's defaults (num_steps, guidance_weight, metrics.scheduler_scale / scale_factor); nulls keep them. */
    public static Settings of(ModelConfig cfg, Integer steps, Double guidanceWeight) {
      return new Settings(steps == null ? cfg.numSteps() : steps,
          guidanceWeight == null ? cfg.guidanceWeight() : guidanceWeight, cfg.metrics().schedulerScale(),
          cfg.metrics().scaleFactor());
    }
  }

  /**
   * The whole generation from a seed: the latent shape of an allowed (height, width) and duration, the
   * seeded initial noise ({@link InitialNoise}), then {@link #sample}. Returns the final latent in {@code manager}.
   */
  public NDArray generate(ModelConfig cfg, int height, int width, double seconds, long seed, Conditioning cond,
      Conditioning uncond, Settings s, StepListener listener, NDManager manager) {
    Shape shape = LatentGeometry.latentShape(cfg, height, width, seconds);
    try (NDManager m = manager.newSubManager()) {
      NDArray noise = InitialNoise.gaussian(seed, shape, m);
      NDArray latent = sample(noise, cond, uncond, s, listener, null);
      latent.attach(manager);
      return latent;
    }
  }

  /**
   * @param noise initial latent (T, H, W, in_visual_dim) float32; not modified
   * @param cond the prompt
   * @param uncond the negative prompt; only used (and required) when guidance is on
   * @return the final latent, attached to the manager of {@code noise}
   */
  public NDArray sample(NDArray noise, Conditioning cond, Conditioning uncond, Settings s, StepListener listener,
      DitTrace trace) {
    if (s.guided() && uncond == null) {
      throw new IllegalArgumentException("guidance weight " + s.guidanceWeight() + " needs a negative-prompt conditioning");
    }
    NDManager parent = noise.getManager();
    Shape shape = noise.getShape();
    float[] ts = Timesteps.warped(parent, s.numSteps(), s.schedulerScale());
    NDArray[] vpos = {
        parent.arange(0, (int) (shape.get(0) / dit.params().patchSize()[0]), 1, ai.djl.ndarray.types.DataType.INT64),
        parent.arange(0, (int) (shape.get(1) / dit.params().patchSize()[1]), 1, ai.djl.ndarray.types.DataType.INT64),
        parent.arange(0, (int) (shape.get(2) / dit.params().patchSize()[2]), 1, ai.djl.ndarray.types.DataType.INT64)};
    NDArray img = noise;
    BlockSkipping.Run cache = skipping == null ? null : skipping.start(s.numSteps(), s.guided(), parent);
    try {
      for (int i = 0; i < s.numSteps(); i++) {
        try (NDManager step = parent.newSubManager()) {
          NDArray input = img;
          if (dit.params().visualCond()) {
            // visual condition latent and its mask are zero for text-to-video
            Shape sh = img.getShape();
            input = NDArrays.concat(new NDList(img, step.zeros(sh, img.getDataType()),
                step.zeros(new Shape(sh.get(0), sh.get(1), sh.get(2), 1), img.getDataType())), 3);
          } else {
            input = img.duplicate();
          }
          input.attach(step);
          NDArray time = step.create(new float[] {ts[i] * 1000f}, new Shape(1));
          var condIn = new DiffusionTransformer3D.Inputs(input, cond.textEmbed(), cond.pooledEmbed(), time, vpos,
              cond.ropePos(), s.scaleFactor());
          VisualBlockSkip condSkip = cache == null ? null : cache.nextCall();
          NDArray v;
          if (s.guided()) {
            var uncondIn = new DiffusionTransformer3D.Inputs(input, uncond.textEmbed(), uncond.pooledEmbed(), time,
                vpos, uncond.ropePos(), s.scaleFactor());
            VisualBlockSkip uncondSkip = cache == null ? null : cache.nextCall();
            NDArray vu;
            if (batchedCfg) {
              NDList pair = dit.forwardPair(condIn, uncondIn, condSkip, uncondSkip);
              v = pair.get(0);
              vu = pair.get(1);
            } else {
              v = dit.forward(condIn, null, condSkip);
              vu = dit.forward(uncondIn, null, uncondSkip);
            }
            DitTrace.record(trace, "step." + i + ".velocity_cond", v);
            DitTrace.record(trace, "step." + i + ".velocity_uncond", vu);
            v = vu.add(v.sub(vu).mul((float) s.guidanceWeight()));
          } else {
            v = dit.forward(condIn, null, condSkip);
            DitTrace.record(trace, "step." + i + ".velocity_cond", v);
          }
          DitTrace.record(trace, "step." + i + ".velocity", v);
          NDArray next = img.add(v.mul(ts[i + 1] - ts[i]));
          listener.onStep(i, ts[i], img, v);
          next.attach(parent);
          if (img != noise) {
            img.close();
          }
          img = next;
        }
      }
    } finally {
      if (cache != null) {
        lastSkipped = cache.skipped();
        cache.close();
      } else {
        lastSkipped = 0;
      }
    }
    for (NDArray p : vpos) {
      p.close();
    }
    return img == noise ? noise.duplicate() : img;
  }
}
