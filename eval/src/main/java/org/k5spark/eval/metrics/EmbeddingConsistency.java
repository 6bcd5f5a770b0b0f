package org.k5spark.eval.metrics;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.k5spark.core.video.VideoFrames;
import org.k5spark.eval.vit.ImageEncoder;

/**
 * VBench subject_consistency (DINO) / background_consistency (CLIP ViT-B/32), spec §2.1–2.2: over all frames,
 * {@code sum_i (max(0, cos(f_{i-1}, f_i)) + max(0, cos(f_0, f_i))) / 2 / (N-1)}.
 */
public final class EmbeddingConsistency implements VideoMetric {
  private final String name;
  private final ImageEncoder encoder;

  public EmbeddingConsistency(String name, ImageEncoder encoder) {
    this.name = name;
    this.encoder = encoder;
  }

  @Override
  public List<MetricResult> compute(VideoFrames video) {
    if (video.frames() < 2) {
      return List.of(MetricResult.notComputed(name, encoder.name(), "needs at least 2 frames, got " + video.frames()));
    }
    float[][] features = encoder.embed(video, IntStream.range(0, video.frames()).toArray());
    return List.of(MetricResult.of(name, score(features), encoder.name(), Map.of("frame_pairs", video.frames() - 1)));
  }

  public static double score(float[][] features) {
    double[] first = Embeddings.normalize(features[0]);
    double[] prev = first;
    double sum = 0;
    for (int i = 1; i < features.length; i++) {
      double[] cur = Embeddings.normalize(features[i]);
      sum += (Math.max(0, Embeddings.dot(prev, cur)) + Math.max(0, Embeddings.dot(first, cur))) / 2;
      prev = cur;
    }
    return sum / (features.length - 1);
  }
}
