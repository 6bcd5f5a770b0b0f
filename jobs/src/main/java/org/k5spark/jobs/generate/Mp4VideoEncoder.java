package org.k5spark.jobs.generate;

import java.nio.file.Path;
import org.k5spark.core.video.Mp4Writer;
import org.k5spark.core.video.VideoFrames;

/** The job's default encoder: pipeline-core's {@link Mp4Writer} (H.264, yuv420p, CRF 18, atomic write). */
public final class Mp4VideoEncoder implements VideoEncoder {
  private final Mp4Writer writer = new Mp4Writer();

  @Override
  public void encode(VideoFrames frames, Path mp4) {
    writer.write(frames, mp4);
  }
}
