package org.k5spark.eval.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.video.Mp4Writer;
import org.k5spark.core.video.VideoFrames;
import picocli.CommandLine;

class FidelityCommandTest {
  @TempDir Path tmp;

  private static VideoFrames gradient(int shift) {
    byte[] rgb = new byte[4 * 32 * 32 * 3];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (byte) ((i / 3 % 32) * 6 + shift);
    }
    return new VideoFrames(4, 32, 32, 24, rgb);
  }

  @Test
  void matchesVideosByNameAcrossARunAndAFolder() throws Exception {
    Path ref = Files.createDirectories(tmp.resolve("ref"));
    Path cand = Files.createDirectories(tmp.resolve("cand/videos"));
    Mp4Writer w = new Mp4Writer();
    w.write(gradient(0), ref.resolve("a.mp4"));
    w.write(gradient(0), cand.resolve("a.mp4"));
    w.write(gradient(0), ref.resolve("b.mp4"));
    w.write(gradient(40), cand.resolve("b.mp4"));
    w.write(gradient(0), ref.resolve("only-ref.mp4"));
    w.write(gradient(0), cand.resolve("only-cand.mp4"));
    Path csv = tmp.resolve("fidelity.csv");
    FidelityCommand cmd = new FidelityCommand();
    new CommandLine(cmd).parseArgs("--reference", ref.toString(), "--candidate", tmp.resolve("cand").toString(),
        "--out", csv.toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, cmd.run(new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
    String summary = out.toString(StandardCharsets.UTF_8);
    assertTrue(summary.startsWith("videos compared: 2 (identical: 1; only in reference: 1, only in candidate: 1,"
        + " unreadable: 0)"), summary);
    List<String> lines = Files.readAllLines(csv);
    assertEquals("video,frames,psnr_db,ssim,mean_abs_diff", lines.get(0));
    assertTrue(lines.get(1).startsWith("a.mp4,4,inf,1.0000,0.0000"), lines.get(1));
    String[] b = lines.get(2).split(",");
    assertEquals("b.mp4", b[0]);
    // a brightness shift of 40 (coded lossily): PSNR near 10 log10(255^2 / 40^2) = 16.05 dB
    assertEquals(16.05, Double.parseDouble(b[2]), 1.0);
  }

  @Test
  void nothingInCommonIsExitOne() throws Exception {
    Path a = Files.createDirectories(tmp.resolve("a"));
    Path b = Files.createDirectories(tmp.resolve("b"));
    new Mp4Writer().write(gradient(0), a.resolve("x.mp4"));
    assertEquals(1, new CommandLine(new FidelityCommand()).execute("--reference", a.toString(), "--candidate",
        b.toString()));
  }
}
