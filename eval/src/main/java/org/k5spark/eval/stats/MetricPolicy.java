package org.k5spark.eval.stats;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Direction and tie margin per metric. A pair (a, b) is a tie when |a - b| <= margin; otherwise the
 * better side (per direction) wins.
 *
 * <p>Defaults (chosen, not taken from VBench, which has no paired notion): every VBench dimension is
 * higher-is-better. Margins are roughly the decoder/estimator noise of each metric's typical range:
 * temporal_flickering and motion_smoothness live in 0.95–0.999, so 0.001; subject/background
 * consistency 0.005; aesthetic_quality 0.01; imaging_quality 1.0 (per-video MUSIQ stays on VBench's 0–100
 * scale); text_video_alignment (ViCLIP-style cosine,
 * 0.1–0.35) 0.005; dynamic_degree is boolean (0/1) so margin 0. gpu_seconds is lower-is-better with a
 * margin of 0 (any difference counts). Unknown metrics: brightness,
 * sharpness, contrast and names starting with "stat." are descriptive ({@link Direction#NONE});
 * anything else defaults to higher-is-better with margin 0. Substitute suffixes such as
 * {@code dynamic_degree@farneback} inherit the policy of the base name.
 */
public final class MetricPolicy {
  /** Policy of one metric. */
  public record Rule(Direction direction, double tieMargin) {
    public Rule {
      if (!(tieMargin >= 0)) {
        throw new IllegalArgumentException("tie margin must be >= 0, got " + tieMargin);
      }
    }
  }

  private static final Map<String, Rule> DEFAULTS = Map.ofEntries(
      Map.entry("temporal_flickering", new Rule(Direction.HIGHER_IS_BETTER, 0.001)),
      Map.entry("motion_smoothness", new Rule(Direction.HIGHER_IS_BETTER, 0.001)),
      Map.entry("subject_consistency", new Rule(Direction.HIGHER_IS_BETTER, 0.005)),
      Map.entry("background_consistency", new Rule(Direction.HIGHER_IS_BETTER, 0.005)),
      Map.entry("aesthetic_quality", new Rule(Direction.HIGHER_IS_BETTER, 0.01)),
      Map.entry("imaging_quality", new Rule(Direction.HIGHER_IS_BETTER, 1.0)),
      Map.entry("text_video_alignment", new Rule(Direction.HIGHER_IS_BETTER, 0.005)),
      Map.entry("overall_consistency", new Rule(Direction.HIGHER_IS_BETTER, 0.005)),
      Map.entry("dynamic_degree", new Rule(Direction.HIGHER_IS_BETTER, 0.0)),
      Map.entry("gpu_seconds", new Rule(Direction.LOWER_IS_BETTER, 0.0)),
      Map.entry("brightness", new Rule(Direction.NONE, 0.0)),
      Map.entry("sharpness", new Rule(Direction.NONE, 0.0)),
      Map.entry("contrast", new Rule(Direction.NONE, 0.0)));

  private final Map<String, Rule> overrides;

  private MetricPolicy(Map<String, Rule> overrides) {
    this.overrides = Map.copyOf(overrides);
  }

  public static MetricPolicy defaults() {
    return new MetricPolicy(Map.of());
  }

  /** A copy with {@code metric}'s rule replaced. */
  public MetricPolicy with(String metric, Direction direction, double tieMargin) {
    Map<String, Rule> m = new HashMap<>(overrides);
    m.put(metric, new Rule(direction, tieMargin));
    return new MetricPolicy(m);
  }

  public Rule rule(String metric) {
    Rule r = overrides.get(metric);
    if (r != null) {
      return r;
    }
    String base = metric.contains("@") ? metric.substring(0, metric.indexOf('@')) : metric;
    r = overrides.get(base);
    if (r != null) {
      return r;
    }
    r = DEFAULTS.get(base.toLowerCase(Locale.ROOT));
    if (r != null) {
      return r;
    }
    return base.startsWith("stat.") ? new Rule(Direction.NONE, 0.0) : new Rule(Direction.HIGHER_IS_BETTER, 0.0);
  }

  /** Outcome for A with value {@code a} against B with value {@code b}; null when the metric has no direction. */
  public Outcome judge(String metric, double a, double b) {
    Rule r = rule(metric);
    if (r.direction() == Direction.NONE) {
      return null;
    }
    double d = a - b;
    if (Math.abs(d) <= r.tieMargin()) {
      return Outcome.TIE;
    }
    boolean aBetter = r.direction() == Direction.HIGHER_IS_BETTER ? d > 0 : d < 0;
    return aBetter ? Outcome.WIN : Outcome.LOSS;
  }
}
