package org.k5spark.eval.vit;

import ai.djl.Device;
import java.nio.file.Path;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.video.VideoFrames;
import org.k5spark.core.weights.TensorSource;

/** {@link ImageTransform} + {@link VisionTransformer}, in batches (VBench uses 32 frames for aesthetics). */
public final class VitImageEncoder implements ImageEncoder {
  private final String name;
  private final ImageTransform transform;
  private final VisionTransformer vit;
  private final int batch;

  public VitImageEncoder(String name, ImageTransform transform, VisionTransformer vit, int batch) {
    this.name = name;
    this.transform = transform;
    this.vit = vit;
    this.batch = batch;
  }

  /** DINO ViT-B/16 as VBench's subject_consistency uses it (dino_transform(224), aspect kept). */
  public static VitImageEncoder dino(String name, Path weights, Device device) {
    try (TensorSource src = TensorSource.open(weights)) {
      return new VitImageEncoder(name, ImageTransform.dino(224),
          VisionTransformer.load(src, VitLayout.DINO, null, TorchRuntime.newManager(device)), 16);
    }
  }

  /** An OpenAI CLIP image tower with clip_transform at the checkpoint's trained resolution. */
  public static VitImageEncoder clip(String name, Path weights, Device device) {
    try (TensorSource src = TensorSource.open(weights)) {
      VisionTransformer vit = VisionTransformer.load(src, VitLayout.CLIP, null, TorchRuntime.newManager(device));
      int size = vit.config().grid() * vit.config().patch();
      return new VitImageEncoder(name, ImageTransform.clip(size), vit, 32);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public float[][] embed(VideoFrames video, int[] frames) {
    int[] hw = transform.outputSize(video.height(), video.width());
    float[][] out = new float[frames.length][];
    for (int start = 0; start < frames.length; start += batch) {
      int n = Math.min(batch, frames.length - start);
      float[][] images = new float[n][];
      for (int i = 0; i < n; i++) {
        images[i] = transform.apply(video, frames[start + i]);
      }
      float[][] emb = vit.embed(images, hw[0], hw[1]);
      System.arraycopy(emb, 0, out, start, n);
    }
    return out;
  }

  @Override
  public void close() {
    vit.close();
  }
}
