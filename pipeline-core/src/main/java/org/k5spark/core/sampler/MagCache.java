package org.k5spark.core.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.k5spark.core.dit.VisualBlockSkip;

/**
 * MagCache as the reference applies it ({@code kandinsky/magcache_utils.py}): per DiT call a magnitude ratio
 * from the variant's {@code magcache.mag_ratios} (prefixed with two 1.0 and nearest-interpolated per branch
 * when the step count differs); past the protected first {@code retentionRatio} of the calls, the ratios are
 * multiplied up per branch (cond / uncond), their |1 - product| summed into an error, and while that error
 * stays under {@code threshold} for at most {@code maxSkips} consecutive calls the visual blocks are skipped
 * and the branch's last residual reused; otherwise the blocks run and the branch's accumulators reset.
 *
 * <p>Calls are counted as the reference counts them: with guidance the call index runs 0, 1, 2, … (cond on
 * even, uncond on odd indices, each with its own accumulators and cache); without guidance it runs 0, 2, 4, …
 * so only the cond ratios (even entries) are used. The reference fixes the step count when MagCache is
 * switched on (config num_steps); here it is the run's own step count.
 */
public record MagCache(double[] magRatios, double threshold, int maxSkips, double retentionRatio)
    implements BlockSkipping {
  /** The reference's constants in {@code set_magcache_params}. */
  public static final double REFERENCE_THRESHOLD = 0.12;
  public static final int REFERENCE_MAX_SKIPS = 2;
  public static final double REFERENCE_RETENTION_RATIO = 0.2;

  public MagCache {
    if (magRatios == null || magRatios.length == 0) {
      throw new IllegalArgumentException("MagCache needs the variant's magcache.mag_ratios; the config has none");
    }
    magRatios = magRatios.clone();
  }

  /** The reference settings with a variant's configured ratios. */
  public static MagCache reference(double[] configuredRatios) {
    return new MagCache(configuredRatios, REFERENCE_THRESHOLD, REFERENCE_MAX_SKIPS, REFERENCE_RETENTION_RATIO);
  }

  /**
   * The per-call ratio table for {@code numSteps} steps: [1, 1] + configured, length 2 * numSteps (cond at
   * even, uncond at odd indices), nearest-interpolated per branch when the length differs.
   */
  public double[] ratiosFor(int numSteps) {
    double[] full = new double[magRatios.length + 2];
    full[0] = 1.0;
    full[1] = 1.0;
    System.arraycopy(magRatios, 0, full, 2, magRatios.length);
    if (full.length == 2 * numSteps) {
      return full;
    }
    double[] cond = nearest(everyOther(full, 0), numSteps);
    double[] uncond = nearest(everyOther(full, 1), numSteps);
    double[] out = new double[2 * numSteps];
    for (int i = 0; i < numSteps; i++) {
      out[2 * i] = cond[i];
      out[2 * i + 1] = uncond[i];
    }
    return out;
  }

  private static double[] everyOther(double[] a, int from) {
    double[] out = new double[(a.length - from + 1) / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = a[from + 2 * i];
    }
    return out;
  }

  /** The reference's nearest_interp: indices round(i * (n - 1) / (m - 1)) with numpy's half-to-even rounding. */
  static double[] nearest(double[] src, int target) {
    if (target == 1) {
      return new double[] {src[src.length - 1]};
    }
    double scale = (double) (src.length - 1) / (target - 1);
    double[] out = new double[target];
    for (int i = 0; i < target; i++) {
      out[i] = src[(int) Math.rint(i * scale)];
    }
    return out;
  }

  /**
   * How many of one generation's DiT calls the rule skips: the decisions depend only on the ratios, so this
   * replays them without a model.
   */
  public int skippedCalls(int numSteps, boolean guided) {
    Rule rule = new Rule(this, numSteps, guided);
    boolean[] cached = new boolean[2];
    int skipped = 0;
    for (int i = 0; i < (guided ? 2 * numSteps : numSteps); i++) {
      int slot = rule.slot();
      if (rule.next(cached[slot])) {
        skipped++;
      } else {
        cached[slot] = true;
      }
    }
    return skipped;
  }

  /** The reference's decision rule over one generation's calls: counters and per-branch accumulators only. */
  private static final class Rule {
    private final MagCache cfg;
    private final double[] ratios;
    private final int totalCalls;
    private final int firstEligible;
    private final boolean guided;
    private final double[] accRatio = {1.0, 1.0};
    private final double[] accErr = {0.0, 0.0};
    private final int[] accSteps = {0, 0};
    private int cnt;

    Rule(MagCache cfg, int numSteps, boolean guided) {
      this.cfg = cfg;
      this.ratios = cfg.ratiosFor(numSteps);
      this.totalCalls = 2 * numSteps;
      // python int(num_steps * 2 * retention_ratio): truncation of the same double product
      this.firstEligible = (int) (totalCalls * cfg.retentionRatio());
      this.guided = guided;
    }

    /** The branch (0 cond, 1 uncond) of the next call. */
    int slot() {
      return cnt % 2;
    }

    /**
     * Decides the next call, as the reference does before the visual blocks, and advances the counter.
     * {@code cached}: whether that branch holds a residual to reuse (without one the blocks must run, which
     * only a degenerate ratio table can ask for).
     */
    boolean next(boolean cached) {
      int slot = slot();
      boolean skip = false;
      if (cnt >= firstEligible) {
        accRatio[slot] *= ratios[cnt];
        accSteps[slot] += 1;
        accErr[slot] += Math.abs(1 - accRatio[slot]);
        if (accErr[slot] < cfg.threshold() && accSteps[slot] <= cfg.maxSkips() && cached) {
          skip = true;
        } else {
          accErr[slot] = 0;
          accSteps[slot] = 0;
          accRatio[slot] = 1.0;
        }
      }
      cnt += guided ? 1 : 2;
      if (cnt >= totalCalls) {
        cnt = 0;
        accRatio[0] = accRatio[1] = 1.0;
        accErr[0] = accErr[1] = 0.0;
        accSteps[0] = accSteps[1] = 0;
      }
      return skip;
    }
  }

  /** Fresh per-generation state (the reference resets its counters after each full run). */
  @Override
  public Run start(int numSteps, boolean guided, NDManager cacheManager) {
    return new Run(this, numSteps, guided, cacheManager);
  }

  /** The state of one generation: the rule's counters and each branch's cached residual. */
  public static final class Run implements BlockSkipping.Run {
    private final Rule rule;
    private final NDManager cache;
    private final NDArray[] residual = new NDArray[2];
    private int skipped;

    private Run(MagCache cfg, int numSteps, boolean guided, NDManager parent) {
      this.rule = new Rule(cfg, numSteps, guided);
      this.cache = parent.newSubManager();
    }

    /**
     * The policy for the next DiT call (cond first, then uncond when guided); the decision is made now, as
     * the reference makes it before the visual blocks, and the counter advances.
     */
    @Override
    public VisualBlockSkip nextCall() {
      int slot = rule.slot();
      boolean skip = rule.next(residual[slot] != null);
      if (skip) {
        skipped++;
      }
      return new VisualBlockSkip() {
        @Override
        public NDArray residualToReuse() {
          return skip ? residual[slot] : null;
        }

        @Override
        public void computed(NDArray r) {
          if (residual[slot] != null) {
            residual[slot].close();
          }
          r.attach(cache);
          residual[slot] = r;
        }
      };
    }

    @Override
    public int skipped() {
      return skipped;
    }

    @Override
    public void close() {
      cache.close();
    }
  }
}
