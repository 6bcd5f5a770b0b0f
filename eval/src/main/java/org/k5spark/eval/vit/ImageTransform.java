package org.k5spark.eval.vit;

import org.k5spark.core.video.VideoFrames;

/**
 * VBench's frame preprocessing (spec §1.2) on one uint8 RGB frame: resize the shorter side to {@code size}
 * (longer side {@code int(size * long / short)}), round and clamp back to uint8 as torchvision does for
 * uint8 tensors, optional center crop, {@code /255}, per-channel normalise. Output planar (3, H, W).
 */
public record ImageTransform(int size, Resample.Mode mode, boolean centerCrop, float[] mean, float[] std) {
  /** {@code dino_transform(224)}: bilinear, no crop (aspect kept), ImageNet statistics. */
  public static ImageTransform dino(int size) {
    return new ImageTransform(size, Resample.Mode.BILINEAR, false,
        new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});
  }

  /** {@code clip_transform(224)}: bicubic, center crop, CLIP statistics. */
  public static ImageTransform clip(int size) {
    return new ImageTransform(size, Resample.Mode.BICUBIC, true,
        new float[] {0.48145466f, 0.4578275f, 0.40821073f}, new float[] {0.26862954f, 0.26130258f, 0.27577711f});
  }

  /** Output (height, width) for an input frame. */
  public int[] outputSize(int h, int w) {
    int[] resized = resizedSize(h, w);
    return centerCrop ? new int[] {Math.min(size, resized[0]), Math.min(size, resized[1])} : resized;
  }

  int[] resizedSize(int h, int w) {
    if (h <= w) {
      return new int[] {size, (int) ((long) size * w / h)};
    }
    return new int[] {(int) ((long) size * h / w), size};
  }

  public float[] apply(VideoFrames video, int frame) {
    int h = video.height();
    int w = video.width();
    float[] planar = new float[3 * h * w];
    byte[] rgb = video.rgb();
    int base = frame * video.frameBytes();
    for (int i = 0; i < h * w; i++) {
      for (int c = 0; c < 3; c++) {
        planar[c * h * w + i] = rgb[base + 3 * i + c] & 0xff;
      }
    }
    int[] r = resizedSize(h, w);
    float[] resized = (r[0] == h && r[1] == w) ? planar : Resample.resize(planar, 3, h, w, r[0], r[1], mode);
    for (int i = 0; i < resized.length; i++) {
      resized[i] = (float) Math.rint(Math.min(255, Math.max(0, resized[i])));
    }
    int outH = r[0];
    int outW = r[1];
    int top = 0;
    int left = 0;
    if (centerCrop) {
      outH = Math.min(size, r[0]);
      outW = Math.min(size, r[1]);
      top = (int) Math.rint((r[0] - outH) / 2.0);
      left = (int) Math.rint((r[1] - outW) / 2.0);
    }
    float[] out = new float[3 * outH * outW];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < outH; y++) {
        for (int x = 0; x < outW; x++) {
          float v = resized[(c * r[0] + y + top) * r[1] + x + left] / 255f;
          out[(c * outH + y) * outW + x] = (v - mean[c]) / std[c];
        }
      }
    }
    return out;
  }
}
