package org.k5spark.core.cli;

import ai.djl.ndarray.types.DataType;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.pipeline.MemoryPlan;
import org.k5spark.core.sampler.LatentGeometry;
import org.k5spark.core.text.ClipTextConfig;
import org.k5spark.core.text.QwenTextConfig;
import org.k5spark.core.text.TextMemory;
import org.k5spark.core.text.TextPrecision;
import org.k5spark.core.vae.VaeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code k5 plan --model sft_5s.yaml --device-memory 24g}: the device-memory plan of one video. */
@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Device-memory plan of one video on a GPU with the given memory: per stage (text encode, DiT",
        "denoise with/without batched CFG, VAE decode) the planned peak device bytes, the offload steps and",
        "whether it fits. `k5 generate` takes the same decisions from the memory it finds free.",
        "Exit 0 when the plan fits, 3 when it does not, 1 for an unusable model config, 2 for bad options."})
public final class PlanCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "<yaml|name>",
      description = "model config: a YAML file (configs/model/*.yaml) or an embedded name such as sft_5s")
  String model;

  @Option(names = "--device-memory", required = true, paramLabel = "<size>",
      description = "the card's memory, e.g. 24g, 40g, 80g (GiB; m/MiB and plain bytes too)")
  String deviceMemory;

  @Option(names = "--width", description = "video width (default: 768 when allowed, as generate)")
  Integer width;

  @Option(names = "--height", description = "video height (default: 512 when allowed, as generate)")
  Integer height;

  @Option(names = "--seconds", description = "duration (default: the config's)")
  Double seconds;

  @Option(names = "--weights-root", paramLabel = "<dir>", description = "read the text encoders' and the VAE's"
      + " config.json there (default: the released Qwen2.5-VL-7B, CLIP ViT-L/14 and HunyuanVideo VAE sizes)")
  Path weightsRoot;

  @Option(names = "--text-precision", defaultValue = "fp16",
      description = "text encoders on the device: fp16 (generate's GPU default) or fp32 (default: ${DEFAULT-VALUE})")
  String textPrecision;

  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(i?b)?", Pattern.CASE_INSENSITIVE);

  @Override
  public Integer call() {
    return run(System.out, System.err);
  }

  int run(PrintStream out, PrintStream err) {
    long card;
    TextPrecision tp;
    try {
      card = parseSize(deviceMemory);
      tp = TextPrecision.parse(textPrecision, ai.djl.Device.gpu());
    } catch (IllegalArgumentException e) {
      err.println("k5 plan: " + e.getMessage());
      return ExitCode.USAGE;
    }
    ModelConfig cfg;
    QwenTextConfig qwen;
    ClipTextConfig clip;
    VaeConfig vae;
    try {
      cfg = ModelConfig.resolve(model);
      var te = cfg.textEmbedder();
      qwen = weightsRoot == null ? TextMemory.QWEN25_VL_7B
          : QwenTextConfig.read(configJson(te.qwen().checkpointPath()));
      clip = weightsRoot == null ? TextMemory.CLIP_L : ClipTextConfig.read(configJson(te.clip().checkpointPath()));
      vae = weightsRoot == null ? VaeConfig.HUNYUAN_VIDEO : VaeConfig.read(configJson(cfg.vae().checkpointPath()));
    } catch (RuntimeException e) {
      err.println("k5 plan: " + e.getMessage());
      return ExitCode.REFUSED;
    }
    int h = height != null ? height : 512;
    int w = width != null ? width : 768;
    double s = seconds != null ? seconds : cfg.defaultSeconds();
    MemoryPlan plan;
    try {
      plan = MemoryPlan.of(cfg, qwen, clip, vae, w, h, s, card - MemoryPlan.DEVICE_RESERVE, DataType.FLOAT16, tp);
    } catch (IllegalArgumentException e) {
      err.println("k5 plan: " + e.getMessage());
      return ExitCode.USAGE;
    }
    print(plan, cfg, w, h, card, out);
    return plan.fits() ? ExitCode.OK : ExitCode.TOO_MANY_FAILED;
  }

  private Path configJson(String checkpointPath) {
    Path p = ModelConfig.resolveWeight(checkpointPath, weightsRoot).resolve("config.json");
    if (!Files.isRegularFile(p)) {
      throw new IllegalArgumentException(p + ": no such file (the --weights-root config.json this plan reads)");
    }
    return p;
  }

  static void print(MemoryPlan plan, ModelConfig cfg, int w, int h, long card, PrintStream out) {
    var lat = plan.latent();
    out.printf(Locale.ROOT, "k5 plan: %s, %dx%d, %d frames (latent %dx%dx%dx%d), device memory %s"
            + " (%s for tensors after a %s CUDA context reserve)%n", plan.variant(), w, h,
        LatentGeometry.videoFrames((int) lat.get(0)), lat.get(0), lat.get(1), lat.get(2), lat.get(3), gib(card),
        gib(plan.budget()), gib(MemoryPlan.DEVICE_RESERVE));
    MemoryPlan.Weights wt = plan.weights();
    out.printf(Locale.ROOT, "weights: DiT %s (float16; modulation, time embedding and norms float32), VAE decoder"
        + " %s (float32), Qwen2.5-VL %s + CLIP %s (%s)%n", gib(wt.dit()), gib(wt.vae()), gib(wt.qwen()),
        gib(wt.clip()), plan.textPrecision() == TextPrecision.FLOAT16 ? "float16, norms float32" : "float32");
    out.printf(Locale.ROOT, "%-27s %12s  %-4s  %s%n", "stage", "peak device", "fits", "plan");
    for (MemoryPlan.Stage st : plan.stages()) {
      out.printf(Locale.ROOT, "%-27s %12s  %-4s  %s%n", st.name(), gib(st.peakBytes()), st.fits() ? "yes" : "NO",
          st.plan());
    }
    out.printf(Locale.ROOT, "offload steps: %s%n", plan.textOnDevice()
        ? "text encoders -> host memory after encoding; DiT and VAE stay on the device"
        : "text encoders stay in host memory (run on the CPU); DiT and VAE stay on the device");
    out.println(plan.fits() ? "fits: yes" : "fits: NO (a stage above exceeds the memory for tensors)");
  }

  static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
  }

  /** {@code 24g}, {@code 24GiB}, {@code 40 GB}, {@code 512m}, or plain bytes; binary units (k/m/g/t = 2^10..2^40). */
  public static long parseSize(String s) {
    Matcher m = SIZE.matcher(s == null ? "" : s.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("--device-memory '" + s + "': expected a size such as 24g, 40g or 80g");
    }
    double v = Double.parseDouble(m.group(1));
    int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k" -> 10;
      case "m" -> 20;
      case "g" -> 30;
      case "t" -> 40;
      default -> 0;
    };
    long bytes = (long) (v * (1L << shift));
    if (bytes <= MemoryPlan.DEVICE_RESERVE) {
      throw new IllegalArgumentException("--device-memory '" + s + "': expected more than the "
          + gib(MemoryPlan.DEVICE_RESERVE) + " CUDA context reserve");
    }
    return bytes;
  }
}
