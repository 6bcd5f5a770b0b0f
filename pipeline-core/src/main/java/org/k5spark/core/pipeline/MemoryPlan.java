package org.k5spark.core.pipeline;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.k5spark.core.config.DitParams;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.dit.DitCheckpointLayout;
import org.k5spark.core.dit.DitWeights;
import org.k5spark.core.sampler.LatentGeometry;
import org.k5spark.core.text.ClipTextConfig;
import org.k5spark.core.text.QwenPromptTokenizer;
import org.k5spark.core.text.QwenTextConfig;
import org.k5spark.core.text.TextMemory;
import org.k5spark.core.text.TextPrecision;
import org.k5spark.core.vae.DecodeMemory;
import org.k5spark.core.vae.TilingPlan;
import org.k5spark.core.vae.VaeConfig;
import org.k5spark.core.vae.VaeLayout;
import org.k5spark.core.vae.VaeTiling;

/**
 * The device-memory plan of one video: per stage (text encode, DiT denoise with and without batched CFG, VAE
 * decode) the planned peak device bytes, the offload steps, and whether it fits. {@code k5 plan} prints it for
 * a card size; {@link Kandinsky5Pipeline} takes the same decisions from the memory it measures free
 * ({@link #textOnDevice}, {@link DitMemoryPlan#batchCfg}, {@link VaeMemoryPlan#forMemory}), so the printed plan
 * is what a run on that card does.
 *
 * <p>Residency, as the pipeline runs: the DiT and the VAE decoder are loaded onto the device with the pipeline
 * and stay there; the text encoders come onto the device for a batch's encoding (beside DiT + VAE) and go to
 * host memory after it ("parked"), or — when they do not fit beside DiT + VAE — run on the host CPU. Weights
 * are counted exactly from the checkpoint layouts; activations are the estimates of {@link TextMemory},
 * {@link DitMemoryPlan#activationBytes} and {@link DecodeMemory} (checked against measured peaks on the CPU
 * in MemoryPlanMeasuredTest).
 */
public final class MemoryPlan {
  /** Device memory no tensor gets: the CUDA context, cuBLAS/cuDNN workspaces, kernel images. */
  public static final long DEVICE_RESERVE = 1L << 30;
  /** Share of the free memory the text encoders may plan to fill (allocator rounding, fragmentation). */
  public static final double TEXT_HEADROOM = 0.9;

  /** One stage: its peak (resident weights included), what happens, whether it fits the budget. */
  public record Stage(String name, long peakBytes, boolean fits, String plan) {}

  /** Resident weight bytes of each component on the device. */
  public record Weights(long dit, long vae, long qwen, long clip) {
    public long text() {
      return qwen + clip;
    }
  }

  private final String variant;
  private final Shape latent;
  private final long budget;
  private final Weights weights;
  private final List<Stage> stages;
  private final boolean textOnDevice;
  private final boolean batchCfg;
  private final VaeTiling tiling;
  private final DataType ditType;
  private final TextPrecision textPrecision;

  private MemoryPlan(String variant, Shape latent, long budget, Weights weights, List<Stage> stages,
      boolean textOnDevice, boolean batchCfg, VaeTiling tiling, DataType ditType, TextPrecision textPrecision) {
    this.variant = variant;
    this.latent = latent;
    this.budget = budget;
    this.weights = weights;
    this.stages = List.copyOf(stages);
    this.textOnDevice = textOnDevice;
    this.batchCfg = batchCfg;
    this.tiling = tiling;
    this.ditType = ditType;
    this.textPrecision = textPrecision;
  }

  /**
   * The plan of a {@code width x height}, {@code seconds} video of {@code cfg} with {@code budgetBytes} of device
   * memory for tensors (the card's memory less {@link #DEVICE_RESERVE}); the DiT in {@code ditType} (float16 on a
   * GPU), the text encoders in {@code text}.
   */
  public static MemoryPlan of(ModelConfig cfg, QwenTextConfig qwen, ClipTextConfig clip, VaeConfig vae, int width,
      int height, double seconds, long budgetBytes, DataType ditType, TextPrecision text) {
    Shape latent = LatentGeometry.latentShape(cfg, height, width, seconds);
    Weights w = new Weights(ditWeightBytes(cfg.ditParams(), ditType), vaeWeightBytes(vae), TextMemory.qwenWeightBytes(qwen, text),
        TextMemory.clipWeightBytes(clip, text));
    List<Stage> stages = new ArrayList<>();
    long resident = w.dit() + w.vae();

    long textAct = textActivationBytes(qwen, clip, cfg, text);
    boolean textOnDevice = textOnDevice(budgetBytes - resident, w.text() + textAct);
    long textPeak = resident + (textOnDevice ? w.text() + textAct : 0);
    stages.add(new Stage("text encode", textPeak, textPeak <= budgetBytes, textOnDevice
        ? "Qwen + CLIP (" + (text == TextPrecision.FLOAT16 ? "float16" : "float32") + ") onto the device beside DiT + VAE; afterwards to host memory (parked)"
        : "Qwen + CLIP do not fit beside DiT + VAE: they run on the host CPU (float32, host RAM)"));

    long work = 6 * latentBytes(latent); // noise, x, velocity, update temporaries, float32
    long act = DitMemoryPlan.activationBytes(cfg.ditParams(), latent, ditType);
    long free = budgetBytes - resident - work;
    boolean batched = cfg.guided() && DitMemoryPlan.batchCfg(cfg.ditParams(), cfg.attention(), latent, ditType, free);
    long perCall = resident + work + act;
    long paired = resident + work + 2 * act;
    if (cfg.guided()) {
      stages.add(new Stage("DiT denoise, CFG batched", paired, paired <= budgetBytes, batched
          ? "chosen: cond + uncond as one batch of two (2 x activations <= " + share() + " of the free memory)"
          : cfg.attention().nabla() ? "not used: NABLA attention runs per sample"
              : "not chosen: 2 x activations exceed " + share() + " of the free memory"));
      stages.add(new Stage("DiT denoise, CFG per call", perCall, perCall <= budgetBytes,
          batched ? "fallback" : "chosen: cond and uncond calls one after the other"));
    } else {
      stages.add(new Stage("DiT denoise", perCall, perCall <= budgetBytes, "no guidance: one call per step"));
    }

    long decodeFree = budgetBytes - resident - latentBytes(latent);
    VaeTiling tiling = VaeMemoryPlan.forMemory(vae, latent, decodeFree);
    TilingPlan tiles = tiling.mode() == VaeTiling.Mode.FORCED ? tiling.override()
        : TilingPlan.optimal(latent.get(0), latent.get(1), latent.get(2));
    long frames = LatentGeometry.videoFrames((int) latent.get(0));
    long decodePeak = resident + latentBytes(latent)
        + DecodeMemory.decodeBytes(vae, tiles, frames, latent.get(1) * 8, latent.get(2) * 8);
    stages.add(new Stage("VAE decode", decodePeak, decodePeak <= budgetBytes,
        (tiling.mode() == VaeTiling.Mode.FORCED ? "smaller tiles than the reference's: " : "the reference's tiling: ")
            + tiles.tileFrames() + " frames x " + tiles.tileHeight() + " x " + tiles.tileWidth() + " px, stride "
            + tiles.strideFrames() + "/" + tiles.strideHeight() + "/" + tiles.strideWidth()
            + "; the DiT stays resident"));
    return new MemoryPlan(cfg.variant(), latent, budgetBytes, w, stages, textOnDevice, batched, tiling, ditType,
        text);
  }

  /**
   * Where generate runs the text encoders: {@code device} when their weights and activations fit in
   * {@code freeBytes} (measured after DiT + VAE are loaded), else the host CPU (one warning line). The CPU, or
   * encoders without a readable config.json (their loading reports that), stay where they are.
   */
  public static Device textDevice(ModelConfig cfg, Path qwenDir, Path clipDir, Device device, long freeBytes) {
    Path qc = qwenDir.resolve("config.json");
    Path cc = clipDir.resolve("config.json");
    if (!device.isGpu() || !Files.isRegularFile(qc) || !Files.isRegularFile(cc)) {
      return device;
    }
    TextPrecision p = TextPrecision.forDevice(device);
    QwenTextConfig qwen = QwenTextConfig.read(qc);
    ClipTextConfig clip = ClipTextConfig.read(cc);
    long need = TextMemory.qwenWeightBytes(qwen, p) + TextMemory.clipWeightBytes(clip, p)
        + textActivationBytes(qwen, clip, cfg, p);
    if (textOnDevice(freeBytes, need)) {
      return device;
    }
    System.err.printf(Locale.ROOT, "k5: the text encoders need %.2f GiB, %.2f GiB of %s is free beside DiT + VAE:"
        + " they run on the host CPU%n", need / (double) (1L << 30), freeBytes / (double) (1L << 30), device);
    return Device.cpu();
  }

  /** Whether the text encoders ({@code textBytes}: weights + one text's activations) go onto the device. */
  public static boolean textOnDevice(long freeBytes, long textBytes) {
    return textBytes <= freeBytes * TEXT_HEADROOM;
  }

  /** Qwen over the longest input (max length + the video template) and CLIP over its max length. */
  public static long textActivationBytes(QwenTextConfig qwen, ClipTextConfig clip, ModelConfig cfg, TextPrecision p) {
    var te = cfg.textEmbedder();
    int qwenTokens = te.qwen().maxLength() + QwenPromptTokenizer.Content.VIDEO.cropStart();
    // the two encoders run one after the other: the larger activation set is the peak
    return Math.max(TextMemory.qwenActivationBytes(qwen, qwenTokens, p),
        TextMemory.clipActivationBytes(clip, te.clip().maxLength(), p));
  }

  /** The DiT's weights: every parameter of the layout, float32 where a reduced-precision model keeps it. */
  public static long ditWeightBytes(DitParams params, DataType dtype) {
    long total = 0;
    long b = dtype == DataType.FLOAT32 ? 4 : 2;
    for (Map.Entry<String, long[]> e : DitCheckpointLayout.expectedShapes(params).entrySet()) {
      total += count(e.getValue()) * (DitWeights.keepsFloat32(e.getKey()) ? 4 : b);
    }
    return total;
  }

  /** The VAE decoder's float32 weights. */
  public static long vaeWeightBytes(VaeConfig vae) {
    long total = 0;
    for (long[] s : VaeLayout.decoder(vae).values()) {
      total += count(s) * 4;
    }
    return total;
  }

  private static long latentBytes(Shape latent) {
    return latent.size() * 4;
  }

  private static long count(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  private static String share() {
    return Math.round(DitMemoryPlan.CFG_BATCH_SHARE * 100) + "%";
  }

  public List<Stage> stages() {
    return stages;
  }

  public Weights weights() {
    return weights;
  }

  public Shape latent() {
    return latent;
  }

  public long budget() {
    return budget;
  }

  public String variant() {
    return variant;
  }

  public boolean textOnDevice() {
    return textOnDevice;
  }

  public boolean batchCfg() {
    return batchCfg;
  }

  public VaeTiling tiling() {
    return tiling;
  }

  public DataType ditType() {
    return ditType;
  }

  public TextPrecision textPrecision() {
    return textPrecision;
  }

  /** Whether every stage the plan runs fits (the batched-CFG stage counts only when chosen). */
  public boolean fits() {
    for (Stage s : stages) {
      boolean unused = s.name().endsWith("CFG batched") && !batchCfg;
      boolean fallback = s.name().endsWith("CFG per call") && batchCfg;
      if (!unused && !fallback && !s.fits()) {
        return false;
      }
    }
    return true;
  }
}
