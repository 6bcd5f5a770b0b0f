package org.k5spark.jobs.generate;

import java.io.IOException;
import java.nio.file.Path;
import org.k5spark.core.video.VideoFrames;

/**
 * Frames to an MP4 file on local disk. Injected by class name (public no-arg constructor) so the job
 * does not care which encoder backs it; the default is {@link Mp4VideoEncoder}.
 */
@FunctionalInterface
public interface VideoEncoder {
  void encode(VideoFrames frames, Path mp4) throws IOException;

  static VideoEncoder byName(String className) {
    try {
      return (VideoEncoder) Class.forName(className, true, Thread.currentThread().getContextClassLoader())
          .getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalArgumentException("cannot instantiate video encoder " + className + ": " + e, e);
    }
  }
}
