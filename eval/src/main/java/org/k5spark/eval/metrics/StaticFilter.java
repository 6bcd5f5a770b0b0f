package org.k5spark.eval.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.k5spark.core.video.VideoFrames;
import org.k5spark.eval.flow.OpticalFlowEstimator;

/**
 * VBench's static filter (spec §7.1), run before temporal_flickering to keep only static videos: flow on every
 * consecutive pair plus first→last and last→first, top-2% mean magnitude per pair. Static unless more than
 * {@code rint(2N/16)} consecutive pairs exceed {@code 3*min(H,W)/256} px, or a first↔last pair exceeds
 * {@code thres * count_num * 2}. Reported as {@code static_filter} = true when the video would be kept.
 */
public final class StaticFilter implements VideoMetric {
  public static final String NAME = "static_filter";
  static final double TOP_FRACTION = 0.02;

  private final OpticalFlowEstimator flow;

  public StaticFilter(OpticalFlowEstimator flow) {
    this.flow = flow;
  }

  @Override
  public List<MetricResult> compute(VideoFrames video) {
    Optional<String> unavailable = flow.unavailableReason();
    if (unavailable.isPresent()) {
      return List.of(MetricResult.notComputed(NAME, flow.name(), unavailable.get()));
    }
    int n = video.frames();
    if (n < 2) {
      return List.of(MetricResult.notComputed(NAME, flow.name(), "needs at least 2 frames, got " + n));
    }
    double[] scores = new double[n + 1];
    for (int f = 0; f + 1 < n; f++) {
      scores[f] = flow.estimate(video, f, f + 1).topFractionMean(TOP_FRACTION);
    }
    scores[n - 1] = flow.estimate(video, 0, n - 1).topFractionMean(TOP_FRACTION);
    scores[n] = flow.estimate(video, n - 1, 0).topFractionMean(TOP_FRACTION);
    double thres = threshold(video.height(), video.width());
    int countNum = countNum(n);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("threshold_px", thres);
    details.put("count_num", countNum);
    details.put("first_last_px", Math.max(scores[n - 1], scores[n]));
    return List.of(MetricResult.of(NAME, isStatic(scores, thres, countNum), flow.name(), details));
  }

  public static double threshold(int height, int width) {
    return 3.0 * Math.min(height, width) / 256.0;
  }

  public static int countNum(int frames) {
    return (int) Math.rint(2 * frames / 16.0);
  }

  /** @param scores consecutive-pair scores followed by the first→last and last→first scores */
  public static boolean isStatic(double[] scores, double thres, int countNum) {
    int count = 0;
    for (int i = 0; i < scores.length - 2; i++) {
      if (scores[i] > thres) {
        count++;
      }
      if (count > countNum) {
        return false;
      }
    }
    for (int i = Math.max(0, scores.length - 2); i < scores.length; i++) {
      if (scores[i] > thres * countNum * 2) {
        return false;
      }
    }
    return true;
  }
}
