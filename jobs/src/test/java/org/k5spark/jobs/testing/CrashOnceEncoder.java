package org.k5spark.jobs.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.k5spark.core.video.VideoFrames;
import org.k5spark.jobs.generate.Mp4VideoEncoder;
import org.k5spark.jobs.generate.VideoEncoder;

/**
 * Test encoder: for prompt ids in {@link #CRASH_ONCE} it writes half an MP4 and then dies (an Error,
 * as a killed executor would), once; otherwise it delegates to the real encoder.
 */
public final class CrashOnceEncoder implements VideoEncoder {
  public static final Set<String> CRASH_ONCE = ConcurrentHashMap.newKeySet();
  private final VideoEncoder real = new Mp4VideoEncoder();

  @Override
  public void encode(VideoFrames frames, Path mp4) throws IOException {
    String name = mp4.getFileName().toString();
    for (String id : CRASH_ONCE) {
      if (name.startsWith(id) && CRASH_ONCE.remove(id)) {
        real.encode(frames, mp4);
        byte[] whole = Files.readAllBytes(mp4);
        Files.write(mp4, java.util.Arrays.copyOf(whole, whole.length / 2));
        throw new PatternTextToVideo.InjectedCrash("injected crash while encoding " + id);
      }
    }
    real.encode(frames, mp4);
  }
}
