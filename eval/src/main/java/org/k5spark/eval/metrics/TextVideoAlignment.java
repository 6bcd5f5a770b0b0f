package org.k5spark.eval.metrics;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.k5spark.core.video.VideoFrames;
import org.k5spark.eval.vit.ClipTextEncoder;
import org.k5spark.eval.vit.ClipTokenizer;
import org.k5spark.eval.vit.ImageEncoder;

/**
 * CLIP image–text similarity between every frame and the prompt, averaged over frames (the computation of VBench's
 * appearance_style, §2.14, with the prompt as text). Not a VBench dimension: VBench's prompt-level
 * dimensions (overall_consistency) use ViCLIP, so this number is reported under its own name.
 */
public final class TextVideoAlignment implements VideoMetric {
  public static final String NAME = "text_video_alignment";

  private final ImageEncoder images;
  private final ClipTextEncoder text;
  private final ClipTokenizer tokenizer;

  public TextVideoAlignment(ImageEncoder images, ClipTextEncoder text, ClipTokenizer tokenizer) {
    this.images = images;
    this.text = text;
    this.tokenizer = tokenizer;
  }

  @Override
  public List<MetricResult> compute(VideoFrames video) {
    return List.of(MetricResult.notComputed(NAME, images.name(), "no prompt given"));
  }

  @Override
  public List<MetricResult> compute(VideoFrames video, String prompt) {
    if (prompt == null || prompt.isBlank()) {
      return compute(video);
    }
    long[] ids = tokenizer.ids(prompt);
    float[] t = text.embed(new long[][] {ids})[0];
    float[][] f = images.embed(video, IntStream.range(0, video.frames()).toArray());
    return List.of(MetricResult.of(NAME, score(f, t), images.name(), Map.of("prompt_tokens", ids.length)));
  }

  /** Mean over frames of cos(image_i, text). */
  public static double score(float[][] frames, float[] text) {
    double[] t = Embeddings.normalize(text);
    double sum = 0;
    for (float[] f : frames) {
      sum += Embeddings.dot(Embeddings.normalize(f), t);
    }
    return sum / frames.length;
  }
}
