package org.k5spark.jobs.nightly;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.k5spark.eval.compare.MetricRow;
import org.k5spark.eval.compare.PairComparison;
import org.k5spark.eval.stats.Direction;
import org.k5spark.eval.stats.Group;

/**
 * The nightly thresholds, applied to the overall rows of candidate (A) vs baseline (B):
 * <ul>
 *   <li>mean drop: the paired mean difference, oriented so that positive = better (flipped for
 *       lower-is-better metrics), must not fall below {@code -margin};</li>
 *   <li>mean shift, for descriptive statistics without a better direction (brightness, contrast):
 *       the mean may move at most {@code margin} either way;</li>
 *   <li>win rate: the upper bound of the candidate's win-rate CI must not lie below 50 % (the candidate
 *       loses on most prompts with confidence).</li>
 * </ul>
 * A gated metric the runs do not have (e.g. no weights) is reported as a failed check: a gate that
 * silently checks nothing would let every regression through.
 */
public final class Gates {
  private Gates() {}

  public static List<Check> apply(PairComparison pc, Map<String, Double> maxDrop, boolean winRateGate) {
    List<Check> out = new ArrayList<>();
    for (Map.Entry<String, Double> e : new java.util.TreeMap<>(maxDrop).entrySet()) {
      String m = e.getKey();
      double margin = e.getValue();
      MetricRow r = pc.row(m, Group.OVERALL);
      if (r == null || r.n() == 0) {
        out.add(new Check(m, "mean_drop", true, Double.NaN, -margin, "no paired values for " + m
            + " (not computed or every video failed)"));
        continue;
      }
      if (r.direction() == Direction.NONE) {
        // a descriptive statistic (brightness, contrast, ...): neither way is better, so gate its drift
        double change = r.meanDiff().estimate();
        out.add(new Check(m, "mean_shift", Math.abs(change) > margin, change, margin, String.format(Locale.ROOT,
            "mean %s: candidate %.5f vs baseline %.5f (change %+.5f; allowed shift either way %.5f, n=%d)", m,
            r.meanA().estimate(), r.meanB().estimate(), change, margin, r.n())));
        continue;
      }
      double sign = r.direction() == Direction.LOWER_IS_BETTER ? -1 : 1;
      double oriented = sign * r.meanDiff().estimate();
      out.add(new Check(m, "mean_drop", oriented < -margin, oriented, -margin, String.format(Locale.ROOT,
          "mean %s: candidate %.5f vs baseline %.5f (change %+.5f in the better direction; allowed drop %.5f, n=%d)",
          m, r.meanA().estimate(), r.meanB().estimate(), oriented, margin, r.n())));
      if (winRateGate && r.direction() != Direction.NONE) {
        double hi = r.winRate().upper();
        out.add(new Check(m, "win_rate", hi < 0.5, hi, 0.5, String.format(Locale.ROOT,
            "win rate %s: %.1f%% [%.1f%%, %.1f%%] (W/T/L %d/%d/%d); regression when the CI upper bound < 50%%", m,
            100 * r.winRate().estimate(), 100 * r.winRate().lower(), 100 * hi, r.wtl().wins(), r.wtl().ties(),
            r.wtl().losses())));
      }
    }
    return out;
  }
}
