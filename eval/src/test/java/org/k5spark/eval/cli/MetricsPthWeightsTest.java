package org.k5spark.eval.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.cli.ExitCode;
import org.k5spark.core.video.Mp4Writer;
import org.k5spark.core.weights.SafetensorsWriter;
import org.k5spark.eval.SyntheticVideos;
import org.k5spark.eval.metrics.ModelMetrics;
import picocli.CommandLine;

/**
 * {@code k5 metrics --weights-dir} on VBench's checkpoint files as they ship (.pth, VBench's names and cache
 * layout; resources/vit/make_tiny_pth.py wrote the tiny towers that way with torch.save) gives the same numbers
 * as on the converted safetensors.
 */
class MetricsPthWeightsTest {
  @TempDir
  Path dir;

  private static Path resource(String name) throws Exception {
    return Path.of(MetricsPthWeightsTest.class.getResource("/vit/" + name).toURI());
  }

  private static JsonNode metrics(String... args) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new MetricsCommand());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    assertEquals(ExitCode.OK, cmd.execute(args), err.toString());
    return new ObjectMapper().readTree(out.toString()).get("metrics");
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }

  @Test
  void vbenchPthFilesGiveTheSameNumbersAsSafetensors() throws Exception {
    Path mp4 = dir.resolve("square.mp4");
    new Mp4Writer().write(SyntheticVideos.movingSquare(3, 12, 12, 24, 6, 1, 2, 1, 0), mp4);
    Path st = Files.createDirectory(dir.resolve("safetensors"));
    Files.copy(resource("dino_tiny.safetensors"), st.resolve(ModelMetrics.DINO));
    Files.copy(resource("clip_tiny.safetensors"), st.resolve(ModelMetrics.CLIP_L14));
    Files.copy(resource("clip_tiny.safetensors"), st.resolve(ModelMetrics.CLIP_B32));
    Files.copy(resource("word_tokenizer.json"), st.resolve(ModelMetrics.CLIP_TOKENIZER));
    float[] w = new float[16];
    for (int i = 0; i < w.length; i++) {
      w[i] = (i % 3 - 1) * 5f;
    }
    new SafetensorsWriter().putFloats("weight", new long[] {1, 16}, w).putFloats("bias", new long[] {1}, new float[] {5f})
        .write(st.resolve(ModelMetrics.AESTHETIC_HEAD));
    // VBench's cache folder: dino_model/dino_vitbase16_pretrain.pth, clip_model/ViT-B-32.pt and ViT-L-14.pt
    // (TorchScript, as OpenAI ships CLIP), aesthetic_model/emb_reader/sa_0_4_vit_l_14_linear.pth
    Path vb = dir.resolve("vbench");
    copyTree(resource("vbench"), vb);
    Files.copy(resource("word_tokenizer.json"), vb.resolve(ModelMetrics.CLIP_TOKENIZER));
    JsonNode a = metrics(mp4.toString(), "--prompt", "a red car", "--weights-dir", st.toString());
    JsonNode b = metrics(mp4.toString(), "--prompt", "a red car", "--weights-dir", vb.toString());
    for (String name : List.of("subject_consistency", "background_consistency", "aesthetic_quality",
        "text_video_alignment")) {
      assertTrue(a.get(name).get("value").isNumber(), name + " " + a.get(name));
      // bit-identical weights give bit-identical numbers: the JSON values compared exactly
      assertEquals(a.get(name), b.get(name), name);
    }
    assertEquals("clip_vitl14+laion_aesthetic_linear", b.get("aesthetic_quality").get("estimator").asText());
    assertEquals("dino_vitb16", b.get("subject_consistency").get("estimator").asText());
  }

  @Test
  void aHostileFileInTheWeightsDirIsOneLineAndExitCodeRefused() throws Exception {
    Path mp4 = dir.resolve("still.mp4");
    new Mp4Writer().write(SyntheticVideos.still(2, 12, 12, 24), mp4);
    Path w = Files.createDirectory(dir.resolve("w"));
    // a pickle that would run a shell command, under DINO's name
    Files.copy(resource("hostile/dino_vitbase16_pretrain.pth"), w.resolve("dino_vitbase16_pretrain.pth"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new MetricsCommand());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    assertEquals(ExitCode.REFUSED, cmd.execute(mp4.toString(), "--weights-dir", w.toString()));
    assertEquals("k5 metrics: " + w.resolve("dino_vitbase16_pretrain.pth") + ": refused global 'posix.system' at byte"
        + " 185 of dino_vitbase16_pretrain/data.pkl (a plain state_dict needs only torch._utils._rebuild_tensor_v2,"
        + " torch.*Storage and collections.OrderedDict; nothing in the file was executed)\n", err.toString());
    assertEquals("", out.toString());
    assertFalse(Files.exists(Path.of("/tmp/k5spark-pth-marker")));
  }
}
