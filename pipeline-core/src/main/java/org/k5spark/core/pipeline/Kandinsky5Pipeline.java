package org.k5spark.core.pipeline;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.dit.DiffusionTransformer3D;
import org.k5spark.core.dit.attention.AttentionBackend;
import org.k5spark.core.engine.DeviceMemory;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.sampler.Conditioning;
import org.k5spark.core.sampler.FlowMatchingSampler;
import org.k5spark.core.sampler.InitialNoise;
import org.k5spark.core.sampler.LatentGeometry;
import org.k5spark.core.sampler.MagCache;
import org.k5spark.core.sampler.MagCalibration;
import org.k5spark.core.text.QwenPromptTokenizer;
import org.k5spark.core.text.TextEmbeddings;
import org.k5spark.core.text.TextEncoders;
import org.k5spark.core.text.TextPrecision;
import org.k5spark.core.vae.HunyuanVae;
import org.k5spark.core.vae.VaeTiling;
import org.k5spark.core.video.Mp4Writer;
import org.k5spark.core.video.VideoFrames;
import org.k5spark.core.weights.TensorSource;

/**
 * Kandinsky 5.0 T2V as components plus a scheduler (as in diffusers): text encoders → DiT under the
 * flow-matching sampler → HunyuanVideo VAE. Mirrors the reference {@code Kandinsky5T2VPipeline.__call__} +
 * {@code generate_sample}: both prompts encoded first, the encoders moved off the accelerator before the DiT
 * runs, the latent decoded with the VAE's tiling.
 */
public final class Kandinsky5Pipeline implements TextToVideo {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Kandinsky5Pipeline.class);
  private final ModelConfig config;
  private final Device device;
  private final NDManager weights;
  private final TextEncoders text;
  private final DiffusionTransformer3D dit;
  private final FlowMatchingSampler sampler;
  private final HunyuanVae vae;
  private final ModelIdentity identity;

  private Kandinsky5Pipeline(ModelConfig config, Device device, NDManager weights, TextEncoders text,
      DiffusionTransformer3D dit, HunyuanVae vae, ModelIdentity identity) {
    this.config = config;
    this.device = device;
    this.weights = weights;
    this.text = text;
    this.dit = dit;
    this.sampler = new FlowMatchingSampler(dit);
    this.vae = vae;
    this.identity = identity;
  }

  /**
   * Loads every component of {@code config} from {@code weightsRoot} onto {@code device}. float32 on CPU,
   * float16 DiT weights on GPU (DJL cannot hold bfloat16); the text encoders in {@link TextPrecision#forDevice}
   * ({@code -Dk5.textPrecision}: float16 on a GPU, float32 on the CPU by default).
   */
  public static Kandinsky5Pipeline load(ModelConfig config, Path weightsRoot, Device device) {
    long t0 = System.nanoTime();
    NDManager weights = TorchRuntime.newManager(device);
    try {
      boolean gpu = device.isGpu();
      DataType ditType = gpu ? DataType.FLOAT16 : DataType.FLOAT32;
      Path ckpt = config.checkpoint(weightsRoot);
      DiffusionTransformer3D dit;
      try (TensorSource src = TensorSource.open(ckpt)) {
        dit = DiffusionTransformer3D.load(config.ditParams(), config.attention(), src, weights, ditType,
            AttentionBackend.fromSystemProperty());
      }
      HunyuanVae vae = HunyuanVae.load(ModelConfig.resolveWeight(config.vae().checkpointPath(), weightsRoot), weights);
      var te = config.textEmbedder();
      Path qwenDir = ModelConfig.resolveWeight(te.qwen().checkpointPath(), weightsRoot);
      Path clipDir = ModelConfig.resolveWeight(te.clip().checkpointPath(), weightsRoot);
      // the memory plan's text placement, from what DiT + VAE left free (k5 plan prints the same decision)
      Device textDevice = MemoryPlan.textDevice(config, qwenDir, clipDir, device, DeviceMemory.freeBytes(device));
      TextEncoders text = TextEncoders.open(new TextEncoders.Settings(qwenDir, te.qwen().maxLength(), clipDir,
          te.clip().maxLength(), textDevice, TextPrecision.forDevice(textDevice).weightType(), false));
      var res = defaultResolution(config);
      ModelIdentity id = new ModelIdentity(config.variant(), Digests.ofPath(ckpt), Digests.ofConfig(config),
          config.numSteps(), config.guidanceWeight(), res.width(), res.height(),
          LatentGeometry.videoFrames(LatentGeometry.latentFrames(config.defaultSeconds(), config.fps())),
          dit.backend().name(), dit.dtype().name());
      // the text encoders' weights load on their first encode (timed in text_encode)
      LOG.info("loaded {} (DiT {}, VAE float32) on {} in {} ms; text encoders {} on {}", config.variant(), ditType,
          device, Math.round((System.nanoTime() - t0) / 1e6), text.settings().dtype(), textDevice);
      return new Kandinsky5Pipeline(config, device, weights, text, dit, vae, id);
    } catch (RuntimeException e) {
      weights.close();
      throw e;
    }
  }

  /** The reference's default size when the variant allows it (height 512, width 768), else the first allowed. */
  static ModelConfig.Resolution defaultResolution(ModelConfig config) {
    for (ModelConfig.Resolution r : config.resolutions()) {
      if (r.height() == 512 && r.width() == 768) {
        return r;
      }
    }
    return config.resolutions().get(0);
  }

  public ModelConfig config() {
    return config;
  }

  /** The attention backend the DiT runs ({@code -Dk5.attention}, sdpa by default). */
  public String attentionBackend() {
    return dit.backend().name();
  }

  /** The DiT's compute dtype: FLOAT32 on the CPU, FLOAT16 on a GPU. */
  public DataType ditDtype() {
    return dit.dtype();
  }

  @Override
  public ModelIdentity identity() {
    return identity;
  }

  /** A request with every default resolved against the config. */
  private record Plan(VideoRequest req, int height, int width, int steps, double guidance, Shape latentShape,
      QwenPromptTokenizer.Content content, FlowMatchingSampler.Settings settings, String negative) {}

  private Plan plan(VideoRequest req) {
    ModelConfig.Resolution dflt = defaultResolution(config);
    int height = req.height() != null ? req.height() : dflt.height();
    int width = req.width() != null ? req.width() : dflt.width();
    double seconds = req.seconds() != null ? req.seconds() : config.defaultSeconds();
    int steps = req.steps() != null ? req.steps() : config.numSteps();
    double guidance = req.guidanceWeight() != null ? req.guidanceWeight() : config.guidanceWeight();
    Shape latentShape = LatentGeometry.latentShape(config, height, width, seconds);
    var content = latentShape.get(0) > 1 ? QwenPromptTokenizer.Content.VIDEO : QwenPromptTokenizer.Content.IMAGE;
    var settings = new FlowMatchingSampler.Settings(steps, guidance, config.metrics().schedulerScale(),
        config.metrics().scaleFactor());
    String negative = req.negativePrompt() != null ? req.negativePrompt() : FlowMatchingSampler.DEFAULT_NEGATIVE_PROMPT;
    return new Plan(req, height, width, steps, guidance, latentShape, content, settings, negative);
  }

  @Override
  public GeneratedVideo generate(VideoRequest req, IntConsumer onStep) {
    return generateAll(List.of(req), (r, i) -> onStep.accept(i)).get(0);
  }

  /**
   * The per-executor memory plan for a batch of requests: all prompts (and negative prompts) go through the
   * text encoders first, placed once for the batch; on a GPU the encoders then move to host memory once, so the
   * DiT and the VAE run with the accelerator to themselves; then each video is denoised and decoded in turn. The
   * same loaded weights serve every call (the executor keeps this object). A request that fails (bad settings, a
   * prompt the encoder chokes on, a non-finite latent, memory) fails alone; a video's bytes do not depend on the
   * batch it came in.
   *
   * @param onStep (request index, step index) after each denoising step
   */
  @Override
  public BatchResult generateEach(List<VideoRequest> reqs, BiConsumer<Integer, Integer> onStep) {
    int placementsBefore = text.placements();
    VideoResult[] results = new VideoResult[reqs.size()];
    List<Plan> plans = new ArrayList<>();
    List<Integer> planned = new ArrayList<>();
    for (int k = 0; k < reqs.size(); k++) {
      try {
        plans.add(plan(reqs.get(k)));
        planned.add(k);
      } catch (RuntimeException e) {
        results[k] = VideoResult.failed(e);
      }
    }
    StageTimings encodeTimings = new StageTimings();
    Throwable[] encodeErrors = new Throwable[plans.size()];
    TextEmbeddings[][] emb = encodeTimings.time("text_encode", () -> encodeAll(plans, encodeErrors));
    for (int i = 0; i < plans.size(); i++) {
      if (encodeErrors[i] != null) {
        results[planned.get(i)] = VideoResult.failed(encodeErrors[i]);
      }
    }
    double encodeMs = encodeTimings.get("text_encode") / Math.max(1, plans.size());
    for (int i = 0; i < plans.size(); i++) {
      int k = planned.get(i);
      if (emb[i] == null) {
        continue;
      }
      StageTimings timings = new StageTimings();
      timings.add("text_encode", encodeMs); // the batch's encode time, shared out per video
      try {
        results[k] = VideoResult.of(render(plans.get(i), emb[i][0], emb[i][1], timings, s -> onStep.accept(k, s)));
      } catch (RuntimeException | OutOfMemoryError e) {
        results[k] = VideoResult.failed(e);
      }
    }
    return new BatchResult(java.util.Arrays.asList(results), text.placements() - placementsBefore);
  }

  /**
   * From given text embeddings to frames: the reference's {@code generate_sample} after its text encoding
   * (sampler → VAE). {@code negative} is needed only when the request's guidance is on.
   */
  public GeneratedVideo generateFromEmbeddings(TextEmbeddings prompt, TextEmbeddings negative, VideoRequest req,
      IntConsumer onStep) {
    Plan p = plan(req);
    if (p.settings().guided() && negative == null) {
      throw new IllegalArgumentException("guidance weight " + p.guidance() + " needs negative-prompt embeddings");
    }
    return render(p, prompt, negative, new StageTimings(), onStep);
  }

  /**
   * Denoises each request with every visual block running and returns the MagCache ratios measured over
   * them, in the config's {@code magcache.mag_ratios} layout ({@link MagCalibration}). All requests must
   * share one step count; nothing is decoded.
   */
  public double[] calibrateMagCache(List<VideoRequest> reqs, IntConsumer onVideo) {
    List<Plan> plans = reqs.stream().map(this::plan).toList();
    Throwable[] errors = new Throwable[plans.size()];
    TextEmbeddings[][] emb = encodeAll(plans, errors);
    for (Throwable e : errors) {
      if (e instanceof RuntimeException r) {
        throw r;
      } else if (e instanceof Error r) {
        throw r;
      }
    }
    MagCalibration calibration = new MagCalibration();
    FlowMatchingSampler fm = new FlowMatchingSampler(dit, calibration, false);
    for (int k = 0; k < plans.size(); k++) {
      try (NDManager run = weights.newSubManager()) {
        denoise(plans.get(k), emb[k][0], emb[k][1], fm, i -> { }, run);
      }
      onVideo.accept(k);
    }
    return calibration.ratios();
  }

  /** Writes a generated video as H.264 MP4 (atomic rename) and adds the {@code encode} stage to its timings. */
  public static void writeMp4(GeneratedVideo video, Path mp4) {
    video.timings().time("encode", () -> {
      new Mp4Writer().write(video.frames(), mp4);
      return mp4;
    });
  }

  /**
   * Encodes every plan's prompt (and negative prompt when guided) with the encoders placed once for the whole
   * list and parked after it. Each text is encoded on its own: padded next to a longer prompt its embeddings
   * would differ in float rounding, and a video must not depend on the batch it came in. Equal texts (the
   * shared negative prompt) are encoded once. A prompt that fails leaves its row null and its error in
   * {@code errors}; the others are unaffected.
   */
  private TextEmbeddings[][] encodeAll(List<Plan> plans, Throwable[] errors) {
    TextEmbeddings[][] emb = new TextEmbeddings[plans.size()][];
    java.util.Map<String, TextEmbeddings> done = new java.util.HashMap<>();
    try {
      for (int k = 0; k < plans.size(); k++) {
        Plan p = plans.get(k);
        try {
          TextEmbeddings cond = encodeOnce(p.req().prompt(), p.content(), done);
          TextEmbeddings neg = p.settings().guided() ? encodeOnce(p.negative(), p.content(), done) : null;
          emb[k] = new TextEmbeddings[] {cond, neg};
        } catch (RuntimeException | OutOfMemoryError e) {
          errors[k] = e;
        }
      }
    } finally {
      text.park(); // on a GPU the encoders must not sit beside the DiT on the accelerator
    }
    return emb;
  }

  private TextEmbeddings encodeOnce(String prompt, QwenPromptTokenizer.Content content,
      java.util.Map<String, TextEmbeddings> done) {
    String key = content + "\u0000" + prompt;
    TextEmbeddings e = done.get(key);
    if (e == null) {
      e = text.encode(prompt, content);
      done.put(key, e);
    }
    return e;
  }

  private GeneratedVideo render(Plan p, TextEmbeddings condEmb, TextEmbeddings negEmb, StageTimings timings,
      IntConsumer onStep) {
    try (NDManager run = weights.newSubManager()) {
      NDArray latent = timings.time("denoise", () -> {
        boolean batched = p.settings().guided() && DitMemoryPlan.batchCfg(dit, p.latentShape(),
            DeviceMemory.freeBytes(device));
        FlowMatchingSampler fm = p.req().magCache() || batched
            ? new FlowMatchingSampler(dit, p.req().magCache() ? magCacheFor(config) : null, batched) : sampler;
        return denoise(p, condEmb, negEmb, fm, onStep, run);
      });
      VaeTiling tiling = p.req().vaeTiling() ? VaeMemoryPlan.tiling(p.req(), p.latentShape())
          : VaeMemoryPlan.forMemory(vae.config(), p.latentShape(), DeviceMemory.freeBytes(device));
      VideoFrames frames = timings.time("decode", () -> vae.decodeToFrames(latent, tiling));
      return new GeneratedVideo(frames, timings, p.steps(), p.guidance(), p.width(), p.height(), condEmb.truncated());
    }
  }

  /** The request's seeded noise through {@code fm} under the prompt (and negative prompt when guided); in {@code run}. */
  private NDArray denoise(Plan p, TextEmbeddings condEmb, TextEmbeddings negEmb, FlowMatchingSampler fm,
      IntConsumer onStep, NDManager run) {
    Conditioning cond = conditioning(condEmb, run);
    Conditioning uncond = p.settings().guided() ? conditioning(negEmb, run) : null;
    NDArray noise = InitialNoise.gaussian(p.req().seed(), p.latentShape(), run);
    return fm.sample(noise, cond, uncond, p.settings(), (i, t, x, v) -> {
      requireFinite(x, i, p.steps());
      onStep.accept(i);
    }, null);
  }

  /**
   * A NaN/Inf in the latent spreads to every later step and decodes to a constant frame that would pass as a
   * video: stop it here (one device sync per step, small next to a DiT call).
   */
  private static void requireFinite(NDArray latent, int step, int steps) {
    if (latent.isNaN().logicalOr(latent.isInfinite()).any().getBoolean()) {
      throw new IllegalStateException("non-finite latent at step " + (step + 1) + " of " + steps
          + " (NaN or Inf: check the checkpoint's values and the compute dtype)");
    }
  }

  /** The reference's MagCache with the variant's ratios; a variant without any cannot use it. */
  static MagCache magCacheFor(ModelConfig config) {
    if (config.magRatios().length == 0) {
      throw new IllegalArgumentException("MagCache was requested but " + config.source()
          + " has no magcache.mag_ratios for variant " + config.variant());
    }
    return MagCache.reference(config.magRatios());
  }

  private Conditioning conditioning(TextEmbeddings e, NDManager m) {
    DataType t = dit.dtype();
    return new Conditioning(e.qwenEmbeds(m).toType(t, false), e.pooledEmbed(m).toType(t, false),
        m.arange(0, e.textRopeLength(), 1, DataType.INT64));
  }

  @Override
  public void close() {
    text.close();
    dit.close();
    weights.close();
  }
}
