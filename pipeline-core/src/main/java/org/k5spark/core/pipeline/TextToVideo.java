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
   * Several videos on the same loaded model, each request on its own: a request that fails yields its error and
   * the others still render. Implementations may share work between them (e.g. encode all prompts first), but a
   * request's frames must equal what {@link #generate} gives for it alone. This default generates them one by one.
   *
   * @param onStep (request index, step index) after each denoising step
   */
  default BatchResult generateEach(List<VideoRequest> requests, BiConsumer<Integer, Integer> onStep) {
    List<VideoResult> out = new ArrayList<>();
    for (int k = 0; k < requests.size(); k++) {
      int idx = k;
      try {
        out.add(VideoResult.of(generate(requests.get(k), i -> onStep.accept(idx, i))));
      } catch (RuntimeException | OutOfMemoryError e) {
        out.add(VideoResult.failed(e));
      }
    }
    // one generate call per request: each one places its text encoders itself
    return new BatchResult(out, requests.size());
  }

  /** {@link #generateEach}, for callers that want all videos or nothing: the first error is thrown. */
  default List<GeneratedVideo> generateAll(List<VideoRequest> requests, BiConsumer<Integer, Integer> onStep) {
    List<GeneratedVideo> out = new ArrayList<>();
    for (VideoResult r : generateEach(requests, onStep).results()) {
      if (r.error() instanceof RuntimeException e) {
        throw e;
      }
      if (r.error() instanceof Error e) {
        throw e;
      }
      out.add(r.video());
    }
    return out;
  }

  /** Short identity for manifests: variant name, checkpoint digest, config digest. */
  ModelIdentity identity();

  @Override
  void close();

  /** One request's result in a batch: its video, or the error that stopped it (then {@code video} is null). */
  record VideoResult(GeneratedVideo video, Throwable error) {
    public static VideoResult of(GeneratedVideo video) {
      return new VideoResult(video, null);
    }

    public static VideoResult failed(Throwable error) {
      return new VideoResult(null, error);
    }

    public boolean ok() {
      return error == null;
    }
  }

  /**
   * A batch's results in request order, and how many times the text encoders were placed on the device for it
   * (one when the whole batch was encoded together; on a GPU each placement moves the encoders over PCIe).
   */
  record BatchResult(List<VideoResult> results, int encoderPlacements) {
    public BatchResult {
      results = List.copyOf(results);
    }
  }
}
