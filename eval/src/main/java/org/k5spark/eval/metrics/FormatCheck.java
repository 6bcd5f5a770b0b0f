package org.k5spark.eval.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.k5spark.core.video.VideoFrames;

/**
 * Checks a decoded video against the expected frame count, fps and size (e.g. 121 frames, 24 fps, 768x512 for a
 * 5 s Kandinsky 5 Lite clip); any null expectation is not checked. Reports {@code format_ok} with the mismatches.
 */
public final class FormatCheck implements VideoMetric {
  public static final String NAME = "format_ok";

  private final Integer frames;
  private final Double fps;
  private final Integer width;
  private final Integer height;

  public FormatCheck(Integer frames, Double fps, Integer width, Integer height) {
    this.frames = frames;
    this.fps = fps;
    this.width = width;
    this.height = height;
  }

  @Override
  public List<MetricResult> compute(VideoFrames video) {
    List<String> problems = new ArrayList<>();
    if (frames != null && video.frames() != frames) {
      problems.add("frames " + video.frames() + " != " + frames);
    }
    if (fps != null && Math.abs(video.fps() - fps) > 1e-3) {
      problems.add("fps " + video.fps() + " != " + fps);
    }
    if (width != null && video.width() != width || height != null && video.height() != height) {
      problems.add("size " + video.width() + "x" + video.height() + " != " + (width == null ? "*" : width) + "x"
          + (height == null ? "*" : height));
    }
    return List.of(MetricResult.of(NAME, problems.isEmpty(), "container", Map.of("mismatches", problems)));
  }
}
