package org.k5spark.core.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import org.k5spark.core.dit.VisualBlockSkip;

/**
 * Measures a checkpoint's MagCache ratios the way MagCache's authors calibrate them: every visual block runs,
 * and per DiT call the ratio is the mean over tokens of |r_t| / |r_prev|, where r is the visual blocks'
 * residual (output - input), |.| the norm over channels and r_prev the same branch's residual one step
 * earlier. Averaged over the generations run with it, the ratios come out in the config's
 * {@code magcache.mag_ratios} layout: cond and uncond interleaved, steps 1 .. n-1 (MagCache prefixes step 0
 * with 1.0 itself). Without guidance the uncond entries repeat the cond ones (the reference reads only the
 * cond entries then).
 *
 * <p>The ratios depend on the checkpoint and, weakly, on the step count and prompts: a new checkpoint (or a
 * tiny random one) needs its own, which is what {@code k5 magcache-calibrate} is for.
 */
public final class MagCalibration implements BlockSkipping {
  private final List<double[]> generations = new ArrayList<>();
  private int steps = -1;

  @Override
  public Recording start(int numSteps, boolean guided, NDManager cacheManager) {
    if (numSteps < 2) {
      throw new IllegalArgumentException("MagCache calibration needs at least 2 steps, got " + numSteps);
    }
    if (steps != -1 && steps != numSteps) {
      throw new IllegalArgumentException("calibration generations must share one step count: " + steps + " vs "
          + numSteps);
    }
    steps = numSteps;
    return new Recording(numSteps, guided, cacheManager);
  }

  /** Generations measured so far. */
  public int generations() {
    return generations.size();
  }

  /** The mean ratios over all generations, length 2 (steps - 1), in the config's layout. */
  public double[] ratios() {
    if (generations.isEmpty()) {
      throw new IllegalStateException("no generation was run with this calibration");
    }
    double[] mean = new double[2 * (steps - 1)];
    for (double[] g : generations) {
      for (int i = 0; i < mean.length; i++) {
        mean[i] += g[i + 2] / generations.size();
      }
    }
    return mean;
  }

  /** One generation's measurements. */
  public final class Recording implements BlockSkipping.Run {
    private final double[] ratios;
    private final boolean guided;
    private final NDManager cache;
    private final NDArray[] previousNorms = new NDArray[2];
    private int cnt;

    private Recording(int numSteps, boolean guided, NDManager parent) {
      this.ratios = new double[2 * numSteps];
      this.guided = guided;
      this.cache = parent.newSubManager();
    }

    @Override
    public VisualBlockSkip nextCall() {
      int call = cnt;
      int slot = call % 2;
      cnt += guided ? 1 : 2;
      return new VisualBlockSkip() {
        @Override
        public NDArray residualToReuse() {
          return null;
        }

        @Override
        public void computed(NDArray residual) {
          // float32 norms: a float16 residual's squares overflow at model_dim 1792
          NDArray norms = residual.toType(DataType.FLOAT32, false).square().sum(new int[] {-1}).sqrt();
          norms.attach(cache);
          if (previousNorms[slot] != null) {
            ratios[call] = norms.div(previousNorms[slot]).mean().getFloat();
            previousNorms[slot].close();
          } else {
            ratios[call] = 1.0;
          }
          previousNorms[slot] = norms;
        }
      };
    }

    @Override
    public int skipped() {
      return 0;
    }

    @Override
    public void close() {
      if (cnt == ratios.length) {
        if (!guided) {
          for (int i = 1; i < ratios.length; i += 2) {
            ratios[i] = ratios[i - 1];
          }
        }
        generations.add(ratios);
      }
      cache.close();
    }
  }
}
