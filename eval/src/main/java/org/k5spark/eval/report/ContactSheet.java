package org.k5spark.eval.report;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.nio.file.Path;
import org.k5spark.core.video.Mp4Reader;
import org.k5spark.core.video.VideoFrames;

/**
 * A contact sheet of a video: {@code count} evenly spaced frames side by side, each scaled to
 * {@code height} pixels high, so a reader sees the motion at a glance.
 */
public final class ContactSheet {
  private ContactSheet() {
  }

  public static BufferedImage of(VideoFrames v, int count, int height) {
    int n = Math.max(1, Math.min(count, v.frames()));
    int h = Math.max(1, height);
    int w = Math.max(1, (int) Math.round((double) v.width() * h / v.height()));
    BufferedImage sheet = new BufferedImage(w * n, h, BufferedImage.TYPE_INT_RGB);
    var g = sheet.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      for (int i = 0; i < n; i++) {
        int f = n == 1 ? 0 : (int) Math.round(i * (v.frames() - 1) / (double) (n - 1));
        g.drawImage(frame(v, f), i * w, 0, w, h, null);
      }
    } finally {
      g.dispose();
    }
    return sheet;
  }

  static BufferedImage frame(VideoFrames v, int f) {
    BufferedImage img = new BufferedImage(v.width(), v.height(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < v.height(); y++) {
      for (int x = 0; x < v.width(); x++) {
        img.setRGB(x, y, (v.value(f, y, x, 0) << 16) | (v.value(f, y, x, 1) << 8) | v.value(f, y, x, 2));
      }
    }
    return img;
  }

  /**
   * The contact sheet of a local MP4 ({@code file:} URIs too), or null when the path is not local
   * (object-store videos need a local copy) or the video cannot be read: a report without a thumbnail
   * beats no report.
   */
  public static Thumbnail fromVideo(String videoPath, int count, int height) {
    if (videoPath == null || videoPath.isBlank()) {
      return null;
    }
    Path p;
    try {
      p = videoPath.startsWith("file:") ? Path.of(URI.create(videoPath)) : videoPath.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")
          ? null : Path.of(videoPath);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (p == null) {
      return null;
    }
    try {
      return Thumbnail.of(of(new Mp4Reader().read(p).frames(), count, height));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
