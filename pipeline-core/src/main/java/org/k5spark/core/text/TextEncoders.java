package org.k5spark.core.text;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.k5spark.core.engine.TorchRuntime;

/**
 * Kandinsky's text embedder: prompt → {@link TextEmbeddings} (Qwen2.5-VL crop/pack + CLIP pooled). Weights load
 * on the first {@link #encode} and can be moved off the accelerator ({@link #toCpu()}) or freed
 * ({@link #release()}) once a batch is encoded, so a 7B encoder does not sit beside the DiT; the next encode
 * brings them back.
 *
 * <p>A batch is right-padded and the Qwen decoder is causal, so each prompt's result equals encoding it alone
 * (the reference encodes one prompt per call).
 */
public final class TextEncoders implements AutoCloseable {
  /**
   * Where the encoders are and how they run; {@code dtype} FLOAT32 or FLOAT16 (the mixed half path,
   * {@link TextPrecision}); {@code withLmHead} also loads {@code lm_head} for expansion.
   */
  public record Settings(Path qwenDir, int qwenMaxLength, Path clipDir, int clipMaxLength, Device device,
      DataType dtype, boolean withLmHead) {
    public static Settings of(Path qwenDir, Path clipDir, Device device) {
      return new Settings(qwenDir, 256, clipDir, 77, device, DataType.FLOAT32, false);
    }
  }

  private final Settings settings;
  private final TextTokenizer qwenTokenizer;
  private final TextTokenizer clipTokenizer;
  private final QwenPromptTokenizer qwenPrompts;
  private final ClipPromptTokenizer clipPrompts;
  private Qwen25VlTextEncoder qwen;
  private ClipTextEncoder clip;
  /** Whether the encoders were put to use since they were last parked, and how often that happened. */
  private boolean placed;
  private int placements;

  private TextEncoders(Settings s) {
    this.settings = s;
    this.qwenTokenizer = TextTokenizer.load(s.qwenDir());
    this.clipTokenizer = TextTokenizer.load(s.clipDir());
    this.qwenPrompts = new QwenPromptTokenizer(qwenTokenizer);
    this.clipPrompts = new ClipPromptTokenizer(clipTokenizer);
  }

  /** Loads the tokenizers now; the weights on first use. */
  public static TextEncoders open(Settings s) {
    return new TextEncoders(s);
  }

  public Settings settings() {
    return settings;
  }

  public TextTokenizer qwenTokenizer() {
    return qwenTokenizer;
  }

  /** The Qwen model on the configured device (loaded or moved back if needed), e.g. for prompt expansion. */
  public Qwen25VlTextEncoder qwen() {
    if (qwen == null) {
      qwen = Qwen25VlTextEncoder.load(settings.qwenDir(), settings.device(), settings.dtype(), settings.withLmHead());
    }
    qwen.toDevice(settings.device());
    return qwen;
  }

  /** The reference's prompt beautifier on this Qwen model; needs {@code Settings.withLmHead}. */
  public PromptExpander expander(int maxNewTokens) {
    if (!settings.withLmHead()) {
      throw new IllegalStateException("prompt expansion needs TextEncoders.Settings.withLmHead = true");
    }
    return new PromptExpander(qwen(), qwenTokenizer, PromptExpander.Settings.read(settings.qwenDir(), maxNewTokens));
  }

  private ClipTextEncoder clip() {
    if (clip == null) {
      clip = ClipTextEncoder.load(settings.clipDir(), settings.device(), settings.dtype());
    }
    clip.toDevice(settings.device());
    return clip;
  }

  public TextEmbeddings encode(String prompt, QwenPromptTokenizer.Content content) {
    return encode(List.of(prompt), content).get(0);
  }

  public List<TextEmbeddings> encode(List<String> prompts, QwenPromptTokenizer.Content content) {
    if (prompts.isEmpty()) {
      return List.of();
    }
    if (!placed) {
      placed = true;
      placements++;
    }
    TokenBatch qb = qwenPrompts.tokenize(prompts, content, settings.qwenMaxLength());
    TokenBatch cb = clipPrompts.tokenize(prompts, settings.clipMaxLength());
    int clipLen = settings.clipMaxLength();
    List<TextEmbeddings> out = new ArrayList<>();
    try (NDManager scratch = TorchRuntime.newManager(settings.device())) {
      int len = qb.longest();
      NDArray hidden = qwen().encode(qb.ids(scratch, len));
      PackedEmbeddings packed = PackedEmbeddings.cropAndPack(hidden, qb.mask(len), content.cropStart());
      NDArray clipIds = cb.ids(scratch, clipLen);
      NDArray clipMask = scratch.create(cb.mask(clipLen), new Shape(cb.size(), clipLen));
      NDArray pooled = clip().encode(clipIds, clipMask, null).pooled().toType(DataType.FLOAT32, false);
      if (settings.dtype() != DataType.FLOAT32) {
        requireFinite(hidden, pooled, prompts);
      }
      int qh = qwen.config().hiddenSize();
      int ch = clip.config().hiddenSize();
      for (int i = 0; i < prompts.size(); i++) {
        float[] q = packed.sequence(i).toType(DataType.FLOAT32, false).toDevice(Device.cpu(), false).toFloatArray();
        float[] p = pooled.get(new NDIndex("{}", i)).toDevice(Device.cpu(), false).toFloatArray();
        out.add(new TextEmbeddings(prompts.get(i), q, packed.length(i), qh, p, ch, cb.rows()[i].length,
            qb.truncated()[i], cb.truncated()[i]));
      }
    }
    return out;
  }

  /**
   * The half path keeps the residual stream in float32, but a float16 GEMM output (the MLP's down projection
   * carries Qwen's largest activations) can still overflow; that must stop here, not as a black video.
   */
  private static void requireFinite(NDArray hidden, NDArray pooled, List<String> prompts) {
    boolean bad = hidden.isNaN().logicalOr(hidden.isInfinite()).any().getBoolean()
        || pooled.isNaN().logicalOr(pooled.isInfinite()).any().getBoolean();
    if (bad) {
      throw new IllegalStateException("non-finite text embeddings (NaN or Inf) in the float16 text encoders for "
          + prompts.size() + " prompt(s) starting '" + abbreviate(prompts.get(0)) + "': run them in float32 with -D"
          + TextPrecision.PROPERTY + "=fp32");
    }
  }

  private static String abbreviate(String s) {
    String one = s.replace('\n', ' ');
    return one.length() <= 60 ? one : one.substring(0, 57) + "...";
  }

  /**
   * How many times the encoders were placed on the device for a batch: the first encode after {@link #park()}
   * (or after loading) counts one. On a GPU each placement moves the weights over PCIe, so a job counts them.
   */
  public int placements() {
    return placements;
  }

  /** The end of a batch: on an accelerator the weights go to host memory; on the CPU nothing moves. */
  public void park() {
    if (settings.device().isGpu()) {
      toCpu();
    }
    placed = false;
  }

  /** Moves both encoders' weights to host memory (kept for the next batch). */
  public void toCpu() {
    placed = false;
    if (qwen != null) {
      qwen.toDevice(Device.cpu());
    }
    if (clip != null) {
      clip.toDevice(Device.cpu());
    }
  }

  /** Frees both encoders' weights; the next encode reloads them from disk. */
  public void release() {
    placed = false;
    if (qwen != null) {
      qwen.close();
      qwen = null;
    }
    if (clip != null) {
      clip.close();
      clip = null;
    }
  }

  @Override
  public void close() {
    release();
    qwenTokenizer.close();
    clipTokenizer.close();
  }
}
