package org.k5spark.core.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/** A loaded text-to-video model: prompt in, frames out. Thread-confined; one per device. */
public interface TextToVideo extends AutoCloseable {
  /** @param onStep called after each denoising step with the step index (progress) */
  GeneratedVideo generate(VideoRequest request, IntConsumer onStep);

  /**
   * Several videos on the same loaded model; implementations may share work between them (e.g. encode all
   * prompts first). This default generates them one by one.
   *
   * @param onStep (request index, step index) after each denoising step
   */
  default List<GeneratedVideo> generateAll(List<VideoRequest> requests, BiConsumer<Integer, Integer> onStep) {
    List<GeneratedVideo> out = new ArrayList<>();
    for (int k = 0; k < requests.size(); k++) {
      int idx = k;
      out.add(generate(requests.get(k), i -> onStep.accept(idx, i)));
    }
    return out;
  }

  /** Short identity for manifests: variant name, checkpoint digest, config digest. */
  ModelIdentity identity();

  @Override
  void close();
}
