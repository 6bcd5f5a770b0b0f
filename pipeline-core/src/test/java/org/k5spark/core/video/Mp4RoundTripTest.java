package org.k5spark.core.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Mp4RoundTripTest {
  @TempDir
  Path dir;

  /** Smooth colour waves drifting 3 px per frame: realistic content for H.264 (no hard edges). */
  static VideoFrames movingGradient(int frames, int height, int width, double fps) {
    byte[] rgb = new byte[frames * height * width * 3];
    int i = 0;
    for (int f = 0; f < frames; f++) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          rgb[i++] = (byte) (128 + 100 * Math.sin(2 * Math.PI * (x + 3 * f) / width));
          rgb[i++] = (byte) (128 + 100 * Math.cos(2 * Math.PI * (y + 2 * f) / height));
          rgb[i++] = (byte) (40 + 170.0 * (x + y) / (width + height));
        }
      }
    }
    return new VideoFrames(frames, height, width, fps, rgb);
  }

  static double psnr(VideoFrames a, VideoFrames b) {
    double se = 0;
    for (int k = 0; k < a.rgb().length; k++) {
      int d = (a.rgb()[k] & 0xff) - (b.rgb()[k] & 0xff);
      se += d * d;
    }
    double mse = se / a.rgb().length;
    return 10 * Math.log10(255.0 * 255.0 / mse);
  }

  private static void assertSameVideo(VideoFrames expected, DecodedVideo decoded) {
    VideoMetadata meta = decoded.metadata();
    assertEquals("h264", meta.codec());
    assertEquals(expected.frames(), meta.frames());
    assertEquals(expected.frames(), decoded.frames().frames());
    assertEquals(expected.width(), meta.width());
    assertEquals(expected.height(), meta.height());
    assertEquals(expected.fps(), meta.fps(), 1e-6);
    assertEquals(expected.fps(), decoded.frames().fps(), 1e-6);
    double psnr = psnr(expected, decoded.frames());
    assertTrue(psnr >= 35.0, "PSNR " + psnr);
    System.out.printf("round trip %dx%dx%d @%.0f fps: PSNR %.2f dB%n", expected.frames(), expected.height(), expected.width(),
        expected.fps(), psnr);
  }

  @Test
  void fileRoundTripKeepsFramesSizeFpsAndQuality() throws Exception {
    VideoFrames video = movingGradient(24, 96, 128, 24.0);
    Path target = dir.resolve("clip.mp4");
    new Mp4Writer().write(video, target);
    assertSameVideo(video, new Mp4Reader().read(target));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(1, files.count(), "temporary file left behind");
    }
  }

  @Test
  void streamRoundTripWritesFragmentedMp4() {
    VideoFrames video = movingGradient(17, 64, 80, 16.0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new Mp4Writer().write(video, out, "mem://clip.mp4");
    byte[] bytes = out.toByteArray();
    assertTrue(new String(bytes, 0, Math.min(bytes.length, 4096), java.nio.charset.StandardCharsets.ISO_8859_1).contains("moof"));
    assertSameVideo(video, new Mp4Reader().read(new ByteArrayInputStream(bytes), "mem://clip.mp4"));
  }

  @Test
  void keepsChannelOrderAndHandlesUnalignedRows() {
    // 50 px wide: 150-byte rows, so the decoder's line stride is padded; left half red, right half blue
    int h = 16;
    int w = 50;
    byte[] rgb = new byte[3 * h * w * 3];
    for (int f = 0; f < 3; f++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int o = ((f * h + y) * w + x) * 3;
          rgb[o + (x < w / 2 ? 0 : 2)] = (byte) 220;
          rgb[o + 1] = (byte) (10 * f);
        }
      }
    }
    VideoFrames video = new VideoFrames(3, h, w, 24, rgb);
    Path target = dir.resolve("rb.mp4");
    new Mp4Writer().write(video, target);
    VideoFrames back = new Mp4Reader().read(target).frames();
    for (int f = 0; f < 3; f++) {
      for (int y : new int[] {0, h / 2, h - 1}) {
        assertEquals(220, back.value(f, y, 5, 0), 8);
        assertEquals(0, back.value(f, y, 5, 2), 8);
        assertEquals(0, back.value(f, y, w - 5, 0), 8);
        assertEquals(220, back.value(f, y, w - 5, 2), 8);
        assertEquals(10 * f, back.value(f, y, w - 5, 1), 8);
      }
    }
    // (no PSNR bound here: yuv420p halves chroma resolution, so the saturated red|blue edge bleeds by design)
  }

  @Test
  void plainMp4ReadsFromAStreamAndFragmentedFromAFile() throws Exception {
    VideoFrames video = movingGradient(9, 64, 96, 24.0);
    Path plain = dir.resolve("plain.mp4");
    new Mp4Writer().write(video, plain);
    try (var in = Files.newInputStream(plain)) {
      assertSameVideo(video, new Mp4Reader().read(in, plain.toString()));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new Mp4Writer().write(video, out, "frag");
    Path frag = Files.write(dir.resolve("frag.mp4"), out.toByteArray());
    assertSameVideo(video, new Mp4Reader().read(frag));
  }

  @Test
  void overwritesAnExistingTargetAtomically() throws Exception {
    Path target = dir.resolve("clip.mp4");
    Files.write(target, new byte[] {1, 2, 3});
    VideoFrames video = movingGradient(5, 32, 32, 24.0);
    new Mp4Writer().write(video, target);
    assertEquals(5, new Mp4Reader().read(target).metadata().frames());
  }

  @Test
  void rejectsOddSizes() {
    VideoFrames odd = movingGradient(2, 31, 32, 24.0);
    VideoFileException e = assertThrows(VideoFileException.class, () -> new Mp4Writer().write(odd, dir.resolve("odd.mp4")));
    assertTrue(e.getMessage().contains("odd.mp4") && e.getMessage().contains("even"), e.getMessage());
  }

  @Test
  void zeroLengthFileIsReported() throws Exception {
    Path empty = Files.createFile(dir.resolve("empty.mp4"));
    assertReadFails(empty, "zero-length");
  }

  @Test
  void missingFileIsReported() {
    assertReadFails(dir.resolve("nope.mp4"), "no such file");
  }

  @Test
  void randomBytesAreReported() throws Exception {
    byte[] junk = new byte[20_000];
    new Random(7).nextBytes(junk);
    junk[4] = 0x13; // (the seed's bytes happen to be no container magic; this keeps it so)
    Path file = Files.write(dir.resolve("junk.mp4"), junk);
    assertEquals(file + ": not a video container (starts with bytes " + String.format("%02x %02x %02x %02x %02x %02x %02x"
        + " %02x", junk[0], junk[1], junk[2], junk[3], junk[4], junk[5], junk[6], junk[7])
        + "); expected MP4/MOV, Matroska/WebM or AVI", readError(file));
  }

  @Test
  void textFileIsNotAVideo() throws Exception {
    Path file = Files.writeString(dir.resolve("notes.mp4"), "prompt,seed\na cat,1\n".repeat(50));
    assertEquals(file + ": not a video container (looks like text); expected MP4/MOV, Matroska/WebM or AVI",
        readError(file));
  }

  @Test
  void truncatedMp4IsReported() throws Exception {
    Path good = dir.resolve("good.mp4");
    new Mp4Writer().write(movingGradient(24, 64, 64, 24.0), good);
    byte[] bytes = Files.readAllBytes(good);
    for (double keep : new double[] {0.5, 0.9}) {
      Path cut = Files.write(dir.resolve("cut" + keep + ".mp4"), Arrays.copyOf(bytes, (int) (bytes.length * keep)));
      assertReadFails(cut, "truncated");
    }
    // the first few hundred bytes hold no complete moov: not readable at all
    Path head = Files.write(dir.resolve("head.mp4"), Arrays.copyOf(bytes, 100));
    assertReadFails(head, "not a readable video");
  }

  private static String readError(Path file) {
    return assertThrows(VideoFileException.class, () -> new Mp4Reader().read(file)).getMessage();
  }

  private static void assertReadFails(Path file, String reason) {
    VideoFileException e = assertThrows(VideoFileException.class, () -> new Mp4Reader().read(file));
    assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    System.out.println("read error: " + e.getMessage());
  }
}
