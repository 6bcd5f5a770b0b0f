package org.k5spark.eval.vit;

import org.k5spark.core.video.VideoFrames;

/** Per-frame image embeddings of a video (the model slot of the embedding-based VBench dimensions). */
public interface ImageEncoder extends AutoCloseable {
  /** Model id reported with each metric, e.g. {@code dino_vitb16}. */
  String name();

  /** One embedding per requested frame, in order (not normalised). */
  float[][] embed(VideoFrames video, int[] frames);

  @Override
  default void close() {
  }
}
