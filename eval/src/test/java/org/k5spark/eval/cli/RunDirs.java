package org.k5spark.eval.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.k5spark.core.video.Mp4Writer;
import org.k5spark.core.video.VideoFrames;
import org.k5spark.eval.compare.MetricsCsv;
import org.k5spark.eval.compare.RunTable;
import org.k5spark.eval.compare.VideoScore;

/** Run directories laid out as k5 generate + k5 evaluate leave them: videos/ and eval/metrics.csv (file: URIs). */
final class RunDirs {
  private RunDirs() {}

  static VideoFrames frames(int shift) {
    byte[] rgb = new byte[4 * 32 * 32 * 3];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (byte) ((i / 3 % 32) * 6 + shift);
    }
    return new VideoFrames(4, 32, 32, 24, rgb);
  }

  /** {@code dir}/videos/&lt;prompt&gt;.mp4 (distinct content per run) and {@code dir}/eval/metrics.csv for {@code run}. */
  static Path write(Path dir, RunTable run, int shift) throws Exception {
    Files.createDirectories(dir.resolve("videos"));
    List<VideoScore> vs = new ArrayList<>();
    for (VideoScore v : run.videos()) {
      Path mp4 = dir.resolve("videos").resolve(v.promptId() + ".mp4");
      new Mp4Writer().write(frames(shift), mp4);
      vs.add(new VideoScore(dir.getFileName().toString(), v.promptId(), v.prompt(), v.concepts(), v.motionLevel(),
          v.seed(), v.status(), mp4.toUri().toString(), v.metrics(), v.gpuSeconds()));
    }
    Files.createDirectories(dir.resolve("eval"));
    MetricsCsv.write(new RunTable(dir.getFileName().toString(), run.config(), vs), dir.resolve("eval/metrics.csv"));
    return dir;
  }
}
