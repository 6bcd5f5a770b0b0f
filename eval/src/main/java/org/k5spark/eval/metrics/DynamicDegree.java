package org.k5spark.eval.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.k5spark.core.video.VideoFrames;
import org.k5spark.eval.flow.OpticalFlowEstimator;

/**
 * VBench dynamic_degree (spec §6.2): VBench's sampling, threshold and counting logic around a pluggable flow
 * estimator. True when at least {@code rint(4*n/16)} sampled pairs move more than {@code 6*min(H,W)/256} px
 * (mean of the top 5% flow magnitudes).
 */
public final class DynamicDegree implements VideoMetric {
  public static final String NAME = "dynamic_degree";
  static final double TOP_FRACTION = 0.05;

  private final OpticalFlowEstimator flow;

  public DynamicDegree(OpticalFlowEstimator flow) {
    this.flow = flow;
  }

  @Override
  public List<MetricResult> compute(VideoFrames video) {
    Optional<String> unavailable = flow.unavailableReason();
    if (unavailable.isPresent()) {
      return List.of(MetricResult.notComputed(NAME, flow.name(), unavailable.get()));
    }
    int interval = interval(video.fps());
    List<Integer> sampled = new ArrayList<>();
    for (int f = 0; f < video.frames(); f += interval) {
      sampled.add(f);
    }
    double thres = threshold(video.height(), video.width());
    int countNum = countNum(sampled.size());
    double[] scores = new double[sampled.size() - 1];
    for (int k = 0; k + 1 < sampled.size(); k++) {
      scores[k] = flow.estimate(video, sampled.get(k), sampled.get(k + 1)).topFractionMean(TOP_FRACTION);
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("interval", interval);
    details.put("sampled_frames", sampled.size());
    details.put("threshold_px", thres);
    details.put("count_num", countNum);
    details.put("pairs_over_threshold", countOver(scores, thres));
    details.put("max_pair_score_px", max(scores));
    return List.of(MetricResult.of(NAME, isDynamic(scores, thres, countNum), flow.name(), details));
  }

  /** {@code max(1, round(fps/8))} with Python's half-to-even rounding. */
  public static int interval(double fps) {
    return Math.max(1, (int) Math.rint(fps / 8.0));
  }

  public static double threshold(int height, int width) {
    return 6.0 * Math.min(height, width) / 256.0;
  }

  public static int countNum(int sampledFrames) {
    return (int) Math.rint(4 * sampledFrames / 16.0);
  }

  /** VBench's {@code check_move}: returns as soon as the running count of moving pairs reaches countNum. */
  public static boolean isDynamic(double[] scores, double thres, int countNum) {
    int count = 0;
    for (double score : scores) {
      if (score > thres) {
        count++;
      }
      if (count >= countNum) {
        return true;
      }
    }
    return false;
  }

  private static int countOver(double[] scores, double thres) {
    int n = 0;
    for (double s : scores) {
      if (s > thres) {
        n++;
      }
    }
    return n;
  }

  private static double max(double[] scores) {
    double m = 0;
    for (double s : scores) {
      m = Math.max(m, s);
    }
    return m;
  }
}
