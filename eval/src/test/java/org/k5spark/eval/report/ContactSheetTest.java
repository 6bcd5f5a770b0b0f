package org.k5spark.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.video.Mp4Writer;
import org.k5spark.core.video.VideoFrames;

class ContactSheetTest {
  @TempDir Path tmp;

  /** Frame f is a flat grey of level 20 * f. */
  static VideoFrames greys(int frames, int h, int w) {
    byte[] rgb = new byte[frames * h * w * 3];
    for (int f = 0; f < frames; f++) {
      java.util.Arrays.fill(rgb, f * h * w * 3, (f + 1) * h * w * 3, (byte) (20 * f));
    }
    return new VideoFrames(frames, h, w, 24, rgb);
  }

  @Test
  void picksEvenlySpacedFramesScaledToTheHeight() {
    BufferedImage sheet = ContactSheet.of(greys(11, 32, 64), 3, 16);
    assertEquals(3 * 32, sheet.getWidth());
    assertEquals(16, sheet.getHeight());
    // frames 0, 5, 10 -> grey 0, 100, 200
    assertEquals(0, sheet.getRGB(16, 8) & 0xff);
    assertEquals(100, sheet.getRGB(32 + 16, 8) & 0xff);
    assertEquals(200, sheet.getRGB(64 + 16, 8) & 0xff);
  }

  @Test
  void fromAnMp4FileAndNothingForUnreadableOrRemotePaths() throws Exception {
    Path mp4 = tmp.resolve("v.mp4");
    new Mp4Writer().write(greys(12, 48, 64), mp4);
    Thumbnail t = ContactSheet.fromVideo(mp4.toUri().toString(), 4, 24);
    assertNotNull(t);
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(t.data()));
    assertEquals(4 * 32, img.getWidth());
    assertEquals(24, img.getHeight());
    assertTrue((img.getRGB(4 * 32 - 8, 12) & 0xff) > 180, "last frame is the brightest");
    assertNotNull(ContactSheet.fromVideo(mp4.toString(), 4, 24));
    Files.writeString(tmp.resolve("bad.mp4"), "garbage");
    assertNull(ContactSheet.fromVideo(tmp.resolve("bad.mp4").toString(), 4, 24));
    assertNull(ContactSheet.fromVideo("s3a://bucket/v.mp4", 4, 24));
  }
}
