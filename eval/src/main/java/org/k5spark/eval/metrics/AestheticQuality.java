package org.k5spark.eval.metrics;

import java.util.List;
import java.util.stream.IntStream;
import org.k5spark.eval.vit.ImageEncoder;
import org.k5spark.core.video.VideoFrames;

/**
 * VBench aesthetic_quality (spec §2.6): LAION's linear head on L2-normalised CLIP ViT-L/14 image embeddings,
 * {@code mean_i(head(normalize(e_i)) / 10)} over all frames; not clipped.
 */
public final class AestheticQuality implements VideoMetric {
  public static final String NAME = "aesthetic_quality";

  private final ImageEncoder encoder;
  private final float[] headWeight;
  private final float headBias;

  /** @param headWeight the {@code nn.Linear(d, 1)} weight row; {@code headBias} its bias */
  public AestheticQuality(ImageEncoder encoder, float[] headWeight, float headBias) {
    this.encoder = encoder;
    this.headWeight = headWeight.clone();
    this.headBias = headBias;
  }

  @Override
  public List<MetricResult> compute(VideoFrames video) {
    float[][] features = encoder.embed(video, IntStream.range(0, video.frames()).toArray());
    if (features[0].length != headWeight.length) {
      throw new IllegalStateException("aesthetic head expects " + headWeight.length + "-d embeddings, "
          + encoder.name() + " gives " + features[0].length);
    }
    return List.of(MetricResult.of(NAME, score(features, headWeight, headBias), encoder.name() + "+laion_aesthetic_linear"));
  }

  public static double score(float[][] features, float[] weight, float bias) {
    double sum = 0;
    for (float[] f : features) {
      double[] e = Embeddings.normalize(f);
      double s = bias;
      for (int i = 0; i < e.length; i++) {
        s += weight[i] * e[i];
      }
      sum += s / 10.0;
    }
    return sum / features.length;
  }
}
