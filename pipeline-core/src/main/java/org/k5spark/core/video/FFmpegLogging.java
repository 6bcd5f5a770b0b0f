package org.k5spark.core.video;

import org.bytedeco.ffmpeg.global.avutil;

/** FFmpeg prints every decoder complaint to stderr; errors reach callers as exceptions instead. */
final class FFmpegLogging {
  private static volatile boolean done;

  private FFmpegLogging() {
  }

  static void quiet() {
    if (!done) {
      avutil.av_log_set_level(avutil.AV_LOG_FATAL);
      done = true;
    }
  }
}
