package org.k5spark.core.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Non-video inputs are refused from their first bytes, before FFmpeg probes (and would accept) them. */
class VideoContainerTest {
  static final String EXPECTED = "; expected MP4/MOV, Matroska/WebM or AVI";
  static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};

  @TempDir
  Path dir;

  @Test
  void acceptsTheThreeContainerFamilies() {
    assertEquals("mp4", VideoContainer.sniff(bytes(0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'), 12));
    assertEquals("mp4", VideoContainer.sniff(bytes(0, 0, 0, 8, 'w', 'i', 'd', 'e'), 8));
    assertEquals("matroska", VideoContainer.sniff(bytes(0x1a, 0x45, 0xdf, 0xa3, 0x9f), 5));
    assertEquals("avi", VideoContainer.sniff(bytes('R', 'I', 'F', 'F', 1, 2, 3, 4, 'A', 'V', 'I', ' '), 12));
    assertNull(VideoContainer.sniff(bytes('R', 'I', 'F', 'F', 1, 2, 3, 4, 'W', 'A', 'V', 'E'), 12));
    assertNull(VideoContainer.sniff(bytes(0, 0, 0, 0x20, 'f', 't', 'y'), 7), "too short to hold the box type");
    assertNull(VideoContainer.sniff(PNG, PNG.length));
  }

  @Test
  void refusesTextImagesDirectoriesFifosWithOneLine() throws Exception {
    Path text = Files.writeString(dir.resolve("notes.txt"), "a cat walks\nthrough the snow\n".repeat(40));
    assertEquals(text + ": not a video container (looks like text)" + EXPECTED, readError(text));
    Path png = Files.write(dir.resolve("frame.png"), Arrays.copyOf(PNG, 200));
    assertEquals(png + ": not a video container (looks like a PNG image)" + EXPECTED, readError(png));
    Path wav = Files.write(dir.resolve("sound.avi"), Arrays.copyOf(bytes('R', 'I', 'F', 'F', 1, 2, 3, 4, 'W', 'A', 'V',
        'E'), 100));
    assertEquals(wav + ": not a video container (a RIFF file of type 'WAVE', not AVI)" + EXPECTED, readError(wav));
    Path sub = Files.createDirectory(dir.resolve("videos.mp4"));
    assertEquals(sub + ": is a directory, not a video file", readError(sub));
    Path fifo = dir.resolve("pipe.mp4");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    assertEquals(fifo + ": not a regular file (a FIFO, socket or device), not a video file", readError(fifo));
    Path none = dir.resolve("none.mp4");
    assertEquals(none + ": no such file", readError(none));
  }

  @Test
  void streamsAreSniffedTooAndAGoodStreamStillDecodes() {
    VideoFileException e = assertThrows(VideoFileException.class, () -> new Mp4Reader().read(
        new ByteArrayInputStream("prompt\nA cat\n".getBytes(StandardCharsets.UTF_8)), "s3a://b/run/videos/x.mp4"));
    assertEquals("s3a://b/run/videos/x.mp4: not a video container (looks like text)" + EXPECTED, e.getMessage());
    e = assertThrows(VideoFileException.class, () -> new Mp4Reader().read(new ByteArrayInputStream(new byte[0]), "e.mp4"));
    assertEquals("e.mp4: zero-length file", e.getMessage());
    // the peeked bytes are given back: FFmpeg decodes the stream from its first byte
    ByteArrayOutputStream mp4 = new ByteArrayOutputStream();
    new Mp4Writer().write(Mp4RoundTripTest.movingGradient(6, 32, 48, 24.0), mp4, "mem.mp4");
    DecodedVideo v = new Mp4Reader().read(new ByteArrayInputStream(mp4.toByteArray()), "mem.mp4");
    assertEquals(6, v.metadata().frames());
    assertEquals(48, v.metadata().width());
  }

  private static String readError(Path file) {
    return assertThrows(VideoFileException.class, () -> new Mp4Reader().read(file)).getMessage();
  }

  private static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }
}
