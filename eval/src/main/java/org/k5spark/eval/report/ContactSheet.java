package org.k5spark.eval.report;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import org.k5spark.core.video.Mp4Reader;
import org.k5spark.core.video.VideoFrames;
import org.k5spark.eval.store.RunStore;

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
   * The contact sheet of the MP4 at {@code videoPath}: a plain path, {@code file:}, {@code s3a://} or any other
   * location the store can read (the video is streamed from it); null when there is no path or the video cannot
   * be read (the caller counts those and says so: a report without a thumbnail beats no report).
   */
  public static Thumbnail fromVideo(RunStore store, String videoPath, int count, int height) {
    if (videoPath == null || videoPath.isBlank()) {
      return null;
    }
    try (InputStream in = store.open(store.location(videoPath))) {
      return Thumbnail.of(of(new Mp4Reader().read(in, videoPath).frames(), count, height));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** {@link #fromVideo(RunStore, String, int, int)} through a store on the default Hadoop configuration. */
  public static Thumbnail fromVideo(String videoPath, int count, int height) {
    return fromVideo(RunStore.withConf(java.util.Map.of()), videoPath, count, height);
  }
}
