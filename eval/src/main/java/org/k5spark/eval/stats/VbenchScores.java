package org.k5spark.eval.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * VBench's normalised scores (spec section 4, {@code scripts/constant.py} / {@code cal_final_score.py}):
 * {@code norm = (score - Min) / (Max - Min)} (no clipping), Quality and Semantic = weighted means of the
 * normalised dimensions, Total = (4 Quality + Semantic) / 5.
 *
 * <p>Deliberate difference: VBench scores a missing dimension as 0; here a group with a missing
 * dimension has no score (NaN) and the missing names are reported, because a 0 would silently rank
 * a run without weights below every real model. Over MovieGen prompts or with substitute estimators
 * these numbers are "VBench-style", not VBench scores, and must be labelled so.
 */
public final class VbenchScores {
  /** One row of the constant table. */
  public record Dim(String name, boolean quality, double min, double max, double weight) {
    public double normalise(double score) {
      return (score - min) / (max - min);
    }
  }

  public static final List<Dim> DIMS = List.of(
      new Dim("subject_consistency", true, 0.1462, 1.0, 1),
      new Dim("background_consistency", true, 0.2615, 1.0, 1),
      new Dim("temporal_flickering", true, 0.6293, 1.0, 1),
      new Dim("motion_smoothness", true, 0.706, 0.9975, 1),
      new Dim("dynamic_degree", true, 0.0, 1.0, 0.5),
      new Dim("aesthetic_quality", true, 0.0, 1.0, 1),
      new Dim("imaging_quality", true, 0.0, 1.0, 1),
      new Dim("object_class", false, 0.0, 1.0, 1),
      new Dim("multiple_objects", false, 0.0, 1.0, 1),
      new Dim("human_action", false, 0.0, 1.0, 1),
      new Dim("color", false, 0.0, 1.0, 1),
      new Dim("spatial_relationship", false, 0.0, 1.0, 1),
      new Dim("scene", false, 0.0, 0.8222, 1),
      new Dim("appearance_style", false, 0.0009, 0.2855, 1),
      new Dim("temporal_style", false, 0.0, 0.364, 1),
      new Dim("overall_consistency", false, 0.0, 0.364, 1));

  /** A group score with the dimensions it lacked (score NaN when any is missing). */
  public record GroupScore(double score, List<String> missing) {
  }

  private VbenchScores() {
  }

  public static Dim dim(String name) {
    return DIMS.stream().filter(d -> d.name().equals(name)).findFirst().orElse(null);
  }

  /**
   * Dimension score from per-video values: the mean, and for imaging_quality the mean / 100 (VBench keeps
   * per-video MUSIQ on 0–100). Equal-length videos assumed for the frame-pair weighted dimensions.
   */
  public static double dimensionScore(String name, double[] perVideo) {
    double s = 0;
    for (double v : perVideo) {
      s += v;
    }
    double mean = perVideo.length == 0 ? Double.NaN : s / perVideo.length;
    return "imaging_quality".equals(name) ? mean / 100 : mean;
  }

  /** Normalised dimension scores for the known dimensions present in {@code scores}. */
  public static Map<String, Double> normalised(Map<String, Double> scores) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Dim d : DIMS) {
      Double v = scores.get(d.name());
      if (v != null && !v.isNaN()) {
        out.put(d.name(), d.normalise(v));
      }
    }
    return out;
  }

  public static GroupScore quality(Map<String, Double> scores) {
    return group(scores, true);
  }

  public static GroupScore semantic(Map<String, Double> scores) {
    return group(scores, false);
  }

  public static double total(double quality, double semantic) {
    return (4 * quality + semantic) / 5;
  }

  private static GroupScore group(Map<String, Double> scores, boolean quality) {
    double num = 0;
    double den = 0;
    List<String> missing = new ArrayList<>();
    for (Dim d : DIMS) {
      if (d.quality() != quality) {
        continue;
      }
      Double v = scores.get(d.name());
      if (v == null || v.isNaN()) {
        missing.add(d.name());
      } else {
        num += d.normalise(v) * d.weight();
      }
      den += d.weight();
    }
    return new GroupScore(missing.isEmpty() ? num / den : Double.NaN, List.copyOf(missing));
  }
}
