package org.k5spark.eval.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.video.Mp4Writer;
import org.k5spark.eval.SyntheticVideos;
import picocli.CommandLine;

class MetricsCommandTest {
  @TempDir
  Path dir;

  private record Run(int code, String out, String err) {
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new MetricsCommand());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void movingSquareMp4GivesOneJsonObjectWithVBenchNames() throws Exception {
    Path mp4 = dir.resolve("square.mp4");
    new Mp4Writer().write(SyntheticVideos.movingSquare(25, 128, 160, 24, 48, 8, 40, 2, 0), mp4);
    Run r = run(mp4.toString(), "--prompt", "a square slides right");
    assertEquals(0, r.code(), r.err());
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertEquals("a square slides right", json.get("prompt").asText());
    assertEquals("h264", json.get("codec").asText());
    assertEquals(25, json.get("frames").asInt());
    JsonNode m = json.get("metrics");
    assertTrue(m.get("dynamic_degree").get("value").isBoolean());
    assertTrue(m.get("dynamic_degree").get("value").asBoolean());
    assertEquals("farneback", m.get("dynamic_degree").get("estimator").asText());
    // (255 - mean MAE of consecutive frames) / 255 on the raw synthetic frames, by NumPy: 0.984712010 (the
    // square moves 2 px a frame, so each pair differs along its two 2-px edge strips). H.264 at the writer's
    // default CRF moves it by 1.8e-5 here; 2e-4 still fails a divide by N instead of N - 1 pairs (0.98533)
    assertEquals(0.984712010, m.get("temporal_flickering").get("value").asDouble(), 2e-4);
    assertEquals("farneback_warp", m.get("motion_smoothness").get("estimator").asText());
    assertTrue(m.get("motion_smoothness").get("value").asDouble() > 0.98);
    for (String name : List.of("subject_consistency", "background_consistency", "aesthetic_quality", "text_video_alignment")) {
      assertTrue(m.get(name).get("value").isNull(), name);
      assertTrue(m.get(name).get("not_computed").asText().startsWith("no weights"), name);
    }
    assertEquals(0, m.get("scene_cuts").get("value").asInt());
  }

  @Test
  void learnedEstimatorsAreReportedAsNotComputed() throws Exception {
    Path mp4 = dir.resolve("still.mp4");
    new Mp4Writer().write(SyntheticVideos.still(9, 32, 32, 24), mp4);
    Run r = run(mp4.toString(), "--flow", "raft", "--interpolator", "amt");
    assertEquals(0, r.code(), r.err());
    JsonNode m = new ObjectMapper().readTree(r.out()).get("metrics");
    assertEquals("raft", m.get("dynamic_degree").get("estimator").asText());
    assertTrue(m.get("dynamic_degree").get("value").isNull());
    assertEquals("no weights (no weights directory configured)", m.get("dynamic_degree").get("not_computed").asText());
    assertEquals("amt-s", m.get("motion_smoothness").get("estimator").asText());
    assertTrue(m.get("motion_smoothness").get("value").isNull());
    assertEquals("no weights (AMT-S amt-s.pth not ported)", m.get("motion_smoothness").get("not_computed").asText());
    // the classical dimensions are still computed
    assertEquals("model-free", m.get("temporal_flickering").get("estimator").asText());
    assertTrue(m.get("temporal_flickering").get("value").isNumber());
  }

  @Test
  void optionalStaticFilterAndFormatCheck() throws Exception {
    Path mp4 = dir.resolve("still.mp4");
    new Mp4Writer().write(SyntheticVideos.still(9, 32, 48, 24), mp4);
    Run r = run(mp4.toString(), "--static-filter", "--expect-frames", "9", "--expect-fps", "24", "--expect-size", "48x32");
    assertEquals(0, r.code(), r.err());
    JsonNode m = new ObjectMapper().readTree(r.out()).get("metrics");
    assertTrue(m.get("static_filter").get("value").asBoolean());
    assertTrue(m.get("format_ok").get("value").asBoolean());
    Run bad = run(mp4.toString(), "--expect-size", "48by32");
    assertEquals(2, bad.code());
    assertEquals("--expect-size must be WIDTHxHEIGHT, got 48by32", bad.err().lines().findFirst().orElse(""), bad.err());
  }

  @Test
  void unreadableVideoExitsWithTwoAndNamesTheFile() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.mp4"), "not a video at all");
    Run r = run(bad.toString());
    assertEquals(2, r.code());
    assertEquals("k5 metrics: " + bad + ": not a video container (looks like text); expected MP4/MOV, Matroska/WebM"
        + " or AVI\n", r.err());
    assertEquals("", r.out());
  }

  /** FFmpeg alone would score a text file (its "ansi" demuxer: 72 frames) and a PNG (1 frame) with exit code 0. */
  @Test
  void nonVideoInputsExitWithTwoAndOneReasonLine() throws Exception {
    String expected = "; expected MP4/MOV, Matroska/WebM or AVI\n";
    Path text = Files.writeString(dir.resolve("prompts.txt"), "A cat walks through the snow.\n".repeat(100));
    assertEquals(new Run(2, "", "k5 metrics: " + text + ": not a video container (looks like text)" + expected),
        run(text.toString()));
    Path png = Files.write(dir.resolve("frame.png"), java.util.Arrays.copyOf(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r',
        '\n', 0x1a, '\n'}, 300));
    assertEquals(new Run(2, "", "k5 metrics: " + png + ": not a video container (looks like a PNG image)" + expected),
        run(png.toString()));
    Path sub = Files.createDirectory(dir.resolve("clips"));
    assertEquals(new Run(2, "", "k5 metrics: " + sub + ": is a directory, not a video file\n"), run(sub.toString()));
    Path fifo = dir.resolve("pipe.mp4");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    assertEquals(new Run(2, "", "k5 metrics: " + fifo + ": not a regular file (a FIFO, socket or device), not a video"
        + " file\n"), run(fifo.toString()));
  }
}
