package org.k5spark.eval.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.k5spark.core.video.VideoFrames;
import org.k5spark.eval.metrics.MetricResult;
import org.k5spark.eval.metrics.PixelDiff;
import org.k5spark.eval.metrics.VideoMetric;

/**
 * Basic, model-free video statistics (not VBench dimensions): format, brightness, contrast, sharpness,
 * black frames, frozen frames and hard cuts. Thresholds are on the 0..255 scale and chosen to catch broken
 * generations (black output, stuck decoder, spliced clips), not to grade quality.
 */
public final class VideoStatistics implements VideoMetric {
  public static final String ESTIMATOR = "statistics";
  /** Mean luma below this and nearly uniform: a black frame (RGB full range, so black is 0 not 16). */
  static final double BLACK_MEAN = 20;
  static final double BLACK_STD = 10;
  /** Mean RGB difference to the previous frame below this: a repeated frame (H.264 noise stays well under). */
  static final double FROZEN_MAD = 0.5;
  /** A cut changes the luma histogram by at least this L1 distance (0..2) ... */
  static final double CUT_MIN_DISTANCE = 0.4;
  /** ... and by this many times the clip's median frame-to-frame distance, so steady motion is not a cut. */
  static final double CUT_MEDIAN_RATIO = 4;

  @Override
  public List<MetricResult> compute(VideoFrames video) {
    int n = video.frames();
    FrameStatistics[] stats = new FrameStatistics[n];
    for (int f = 0; f < n; f++) {
      stats[f] = FrameStatistics.of(video, f);
    }
    double brightness = 0;
    double contrast = 0;
    double sharpness = 0;
    int black = 0;
    for (FrameStatistics s : stats) {
      brightness += s.meanLuma();
      contrast += s.stdLuma();
      sharpness += s.laplacianVariance();
      if (s.meanLuma() < BLACK_MEAN && s.stdLuma() < BLACK_STD) {
        black++;
      }
    }
    List<Integer> frozen = frozenFrames(video);
    List<Integer> cuts = cuts(stats);
    List<MetricResult> out = new ArrayList<>();
    out.add(MetricResult.of("frame_count", n, "container", null));
    out.add(MetricResult.of("fps", video.fps(), "container"));
    out.add(MetricResult.of("resolution", video.width() + "x" + video.height(), "container", null));
    out.add(MetricResult.of("brightness", brightness / n / 255.0, ESTIMATOR));
    out.add(MetricResult.of("contrast", contrast / n / 255.0, ESTIMATOR));
    out.add(MetricResult.of("sharpness", sharpness / n, "laplacian_variance"));
    out.add(MetricResult.of("black_frames", black, ESTIMATOR, null));
    out.add(MetricResult.of("frozen_frames", frozen.size(), ESTIMATOR, Map.of("frames", frozen)));
    out.add(MetricResult.of("scene_cuts", cuts.size(), "luma_histogram", Map.of("first_frames_of_new_shots", cuts)));
    return out;
  }

  /** Frames (index ≥ 1) that repeat their predecessor. */
  static List<Integer> frozenFrames(VideoFrames video) {
    List<Integer> frozen = new ArrayList<>();
    int fb = video.frameBytes();
    for (int f = 1; f < video.frames(); f++) {
      if (PixelDiff.meanAbsDiff(video.rgb(), (f - 1) * fb, video.rgb(), f * fb, fb) < FROZEN_MAD) {
        frozen.add(f);
      }
    }
    return frozen;
  }

  /** First frames of new shots: histogram jumps that stand out from the clip's typical change. */
  static List<Integer> cuts(FrameStatistics[] stats) {
    List<Integer> cuts = new ArrayList<>();
    if (stats.length < 2) {
      return cuts;
    }
    double[] d = new double[stats.length - 1];
    for (int i = 0; i < d.length; i++) {
      d[i] = stats[i].histogramDistance(stats[i + 1]);
    }
    double[] sorted = d.clone();
    Arrays.sort(sorted);
    double median = sorted[sorted.length / 2];
    for (int i = 0; i < d.length; i++) {
      if (d[i] >= CUT_MIN_DISTANCE && d[i] > CUT_MEDIAN_RATIO * median) {
        cuts.add(i + 1);
      }
    }
    return cuts;
  }
}
