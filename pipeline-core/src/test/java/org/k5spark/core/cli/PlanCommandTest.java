package org.k5spark.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.pipeline.MemoryPlan;
import org.k5spark.core.text.TextMemory;
import org.k5spark.core.text.TextPrecision;
import org.k5spark.core.text.TinyTextEncoders;
import org.k5spark.core.vae.VaeConfig;
import picocli.CommandLine;

/** {@code k5 plan}: the released sizes, the fit verdict and exit codes, one-line refusals. */
class PlanCommandTest {
  @TempDir Path root;

  private record Result(int rc, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PlanCommand cmd = new PlanCommand();
    new CommandLine(cmd).parseArgs(args);
    int rc = cmd.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void releasedSft5sOnThreeCards() {
    Result r24 = run("--model", "sft_5s", "--device-memory", "24g");
    assertEquals(ExitCode.OK, r24.rc(), r24.out());
    // the released weights: 2B DiT in float16 (float32 modulation/norms), 7.07B-parameter Qwen text decoder
    assertTrue(r24.out().contains("weights: DiT 4.26 GiB (float16; modulation, time embedding and norms float32),"
        + " VAE decoder 0.54 GiB (float32), Qwen2.5-VL 13.17 GiB + CLIP 0.23 GiB (float16, norms float32)"), r24.out());
    assertTrue(r24.out().contains("(23.00 GiB for tensors after a 1.00 GiB CUDA context reserve)"), r24.out());
    assertTrue(r24.out().contains("DiT denoise, CFG per call      16.47 GiB  yes   chosen"), r24.out());
    assertTrue(r24.out().endsWith("fits: yes\n"), r24.out());
    Result r80 = run("--model", "sft_5s", "--device-memory", "80g");
    assertTrue(r80.out().contains("DiT denoise, CFG batched       28.08 GiB  yes   chosen"), r80.out());
    Result r8 = run("--model", "sft_5s", "--device-memory", "8g");
    assertEquals(ExitCode.TOO_MANY_FAILED, r8.rc());
    assertTrue(r8.out().contains("they run on the host CPU"), r8.out());
    assertTrue(r8.out().endsWith("fits: NO (a stage above exceeds the memory for tensors)\n"), r8.out());
  }

  @Test
  void fp32TextEncodersDoNotFitBesideTheDitOn24g() {
    MemoryPlan half = plan(24, TextPrecision.FLOAT16);
    MemoryPlan full = plan(24, TextPrecision.FLOAT32);
    assertTrue(half.textOnDevice());
    assertFalse(full.textOnDevice(), "a float32 7B encoder (26 GiB) cannot sit on a 24 GB card");
    long norms = (2 * 28 + 1) * 3584L; // two RMSNorms per layer and the final one stay float32 either way
    assertEquals(2 * TextMemory.qwenWeightBytes(TextMemory.QWEN25_VL_7B, TextPrecision.FLOAT16) - 4 * norms,
        TextMemory.qwenWeightBytes(TextMemory.QWEN25_VL_7B, TextPrecision.FLOAT32),
        "float32 weights are twice the float16 ones, norms aside");
  }

  private static MemoryPlan plan(int gib, TextPrecision p) {
    return MemoryPlan.of(ModelConfig.embedded("sft_5s"), TextMemory.QWEN25_VL_7B, TextMemory.CLIP_L,
        VaeConfig.HUNYUAN_VIDEO, 768, 512, 5, ((long) gib << 30) - MemoryPlan.DEVICE_RESERVE, DataType.FLOAT16, p);
  }

  @Test
  void generatePlacesTheTextEncodersByThePlan() throws Exception {
    TinyTextEncoders.write(root, 1);
    ModelConfig tiny = ModelConfig.embedded("tiny");
    Path q = root.resolve("text_encoder");
    Path c = root.resolve("text_encoder2");
    assertEquals(Device.gpu(), MemoryPlan.textDevice(tiny, q, c, Device.gpu(), 1L << 30));
    assertEquals(Device.cpu(), MemoryPlan.textDevice(tiny, q, c, Device.gpu(), 1000));
    assertEquals(Device.cpu(), MemoryPlan.textDevice(tiny, q, c, Device.cpu(), 0));
  }

  @Test
  void badOptionsAreOneLine() {
    Result size = run("--model", "sft_5s", "--device-memory", "24q");
    assertEquals(ExitCode.USAGE, size.rc());
    assertEquals("k5 plan: --device-memory '24q': expected a size such as 24g, 40g or 80g\n", size.err());
    Result tiny = run("--model", "sft_5s", "--device-memory", "512m");
    assertEquals(ExitCode.USAGE, tiny.rc());
    assertEquals("k5 plan: --device-memory '512m': expected more than the 1.00 GiB CUDA context reserve\n", tiny.err());
    Result missing = run("--model", root.resolve("nope.yaml").toString(), "--device-memory", "24g");
    assertEquals(ExitCode.REFUSED, missing.rc());
    assertEquals(1, missing.err().lines().count(), missing.err());
    assertFalse(missing.err().contains("\tat "), missing.err());
    Result noCfg = run("--model", "sft_5s", "--device-memory", "24g", "--weights-root", root.toString());
    assertEquals(ExitCode.REFUSED, noCfg.rc());
    assertEquals("k5 plan: " + root.resolve("text_encoder/config.json")
        + ": no such file (the --weights-root config.json this plan reads)\n", noCfg.err());
  }

  @Test
  void sizes() {
    assertEquals(24L << 30, PlanCommand.parseSize("24g"));
    assertEquals(40L << 30, PlanCommand.parseSize("40GiB"));
    assertEquals(80L << 30, PlanCommand.parseSize("80 GB"));
    assertEquals(1536L << 20, PlanCommand.parseSize("1.5g"));
  }
}
