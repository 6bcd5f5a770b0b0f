package org.k5spark.benchmark;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.k5spark.core.config.DitParams;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.dit.DiffusionTransformer3D;
import org.k5spark.core.dit.attention.AttentionBackend;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.pipeline.GeneratedVideo;
import org.k5spark.core.pipeline.Kandinsky5Pipeline;
import org.k5spark.core.pipeline.VideoRequest;
import org.k5spark.core.sampler.Conditioning;
import org.k5spark.core.sampler.FlowMatchingSampler;
import org.k5spark.core.sampler.InitialNoise;
import org.k5spark.core.sampler.MagCache;
import org.k5spark.core.sampler.StepListener;
import org.k5spark.core.tiny.TinyCheckpoint;
import org.k5spark.core.weights.TensorSource;

/**
 * Issue-10 speed probe (not the benchmark suite): on one loaded random-weight DiT, time the guided sampler
 * exactly (two calls per step), with batched CFG, and with MagCache (sft_5s ratios); then the tiny pipeline
 * per video, one by one vs {@code generateAll}. Prints one line per measurement (median of --repeat runs).
 *
 * <p>Usage: {@code SpeedProbe [dit=tiny|small] [steps=N] [latent=T,H,W] [repeat=R] [peakGflops=G]}
 */
public final class SpeedProbe {
  private SpeedProbe() {}

  public static void main(String[] args) throws Exception {
    String ditName = arg(args, "dit", "small");
    int steps = Integer.parseInt(arg(args, "steps", "50"));
    int[] lat = Arrays.stream(arg(args, "latent", "7,16,24").split(",")).mapToInt(Integer::parseInt).toArray();
    int repeat = Integer.parseInt(arg(args, "repeat", "3"));
    double peak = Double.parseDouble(arg(args, "peakGflops", "160"));
    ModelConfig tiny = ModelConfig.embedded("tiny");
    DitParams t = tiny.ditParams();
    DitParams p = ditName.equals("tiny") ? t : new DitParams(t.inVisualDim(), t.outVisualDim(), 256, t.patchSize(), 512,
        2048, 2, 4, t.axesDims(), t.visualCond(), t.inTextDim(), t.inTextDim2());
    Path tmp = Files.createTempDirectory("k5-speed");
    Path ckpt = tmp.resolve("dit.safetensors");
    TinyCheckpoint.ditWriter(p, TinyCheckpoint.SEED).write(ckpt);
    int condLen = 40;
    int uncondLen = 20;
    long tokens = (long) lat[0] / p.patchSize()[0] * (lat[1] / p.patchSize()[1]) * (lat[2] / p.patchSize()[2]);
    DitFlops flops = new DitFlops(p.modelDim(), p.ffDim(), p.timeDim(), p.numTextBlocks(), p.numVisualBlocks(),
        p.inTextDim(), p.inTextDim2(), (long) p.patchSize()[0] * p.patchSize()[1] * p.patchSize()[2],
        p.visualEmbedDim(), p.outVisualDim());
    double stepFlops = flops.forward(tokens, condLen, 1).total() + flops.forward(tokens, uncondLen, 1).total();
    System.out.printf(Locale.ROOT, "dit=%s model_dim=%d ff=%d blocks=%d+%d latent=%s tokens=%d text=%d/%d steps=%d"
        + " threads=%s backend=%s%n", ditName, p.modelDim(), p.ffDim(), p.numTextBlocks(), p.numVisualBlocks(),
        Arrays.toString(lat), tokens, condLen, uncondLen, steps, System.getProperty("ai.djl.pytorch.num_threads", "default"),
        AttentionBackend.fromSystemProperty().name());
    try (NDManager m = TorchRuntime.newManager(Device.cpu()); TensorSource src = TensorSource.open(ckpt);
        DiffusionTransformer3D dit = DiffusionTransformer3D.load(p, tiny.attention(), src, m, DataType.FLOAT32,
            AttentionBackend.fromSystemProperty())) {
      Conditioning cond = new Conditioning(InitialNoise.gaussian(1, new Shape(condLen, p.inTextDim()), m),
          InitialNoise.gaussian(2, new Shape(1, p.inTextDim2()), m), m.arange(0, condLen, 1, DataType.INT64));
      Conditioning uncond = new Conditioning(InitialNoise.gaussian(3, new Shape(uncondLen, p.inTextDim()), m),
          InitialNoise.gaussian(4, new Shape(1, p.inTextDim2()), m), m.arange(0, uncondLen, 1, DataType.INT64));
      var settings = new FlowMatchingSampler.Settings(steps, 5.0, 5.0, tiny.metrics().scaleFactor());
      Shape shape = new Shape(lat[0], lat[1], lat[2], p.inVisualDim());
      MagCache mc = MagCache.reference(ModelConfig.embedded("sft_5s").magRatios());
      String[] modes = {"exact", "batched_cfg", "magcache"};
      List<List<Double>> ms = new ArrayList<>();
      long[] passes = new long[modes.length];
      for (int i = 0; i < modes.length; i++) {
        ms.add(new ArrayList<>());
      }
      for (int r = 0; r <= repeat; r++) { // run 0 warms up; modes interleaved so load drifts hit all alike
        for (int i = 0; i < modes.length; i++) {
          FlowMatchingSampler s = switch (modes[i]) {
            case "batched_cfg" -> new FlowMatchingSampler(dit, null, true);
            case "magcache" -> new FlowMatchingSampler(dit, mc, false);
            default -> new FlowMatchingSampler(dit);
          };
          try (NDManager run = m.newSubManager()) {
            long before = dit.visualPasses();
            long t0 = System.nanoTime();
            s.sample(InitialNoise.gaussian(6554, shape, run), cond, uncond, settings, StepListener.NONE, null);
            double el = (System.nanoTime() - t0) / 1e6;
            passes[i] = dit.visualPasses() - before;
            if (r > 0) {
              ms.get(i).add(el);
            }
          }
        }
      }
      for (int i = 0; i < modes.length; i++) {
        double med = median(ms.get(i));
        double perStep = med / steps;
        System.out.printf(Locale.ROOT, "sampler %-12s %8.1f ms/video(denoise) %7.2f ms/step  visual_passes=%d/%d"
            + "  model_GFLOP/s=%.2f  MFU=%.1f%% (of %.0f GFLOP/s)  runs=%s%n", modes[i], med, perStep, passes[i],
            2L * steps, stepFlops / (perStep / 1e3) / 1e9, 100 * stepFlops / (perStep / 1e3) / 1e9 / peak, peak,
            ms.get(i));
      }
    }
    // the tiny pipeline, prompt to frames: one by one vs generateAll (prompts encoded first)
    Path root = tmp.resolve("tiny");
    ModelConfig cfg = TinyCheckpoint.writeAll(root);
    try (Kandinsky5Pipeline pl = Kandinsky5Pipeline.load(cfg, root, Device.cpu())) {
      List<VideoRequest> reqs = List.of(VideoRequest.of("a red fox runs through snow", 1),
          VideoRequest.of("waves at dusk", 2), VideoRequest.of("a city street at night, rain", 3),
          VideoRequest.of("a cat on a windowsill", 4));
      List<Double> single = new ArrayList<>();
      List<Double> batch = new ArrayList<>();
      String stages = "";
      for (int r = 0; r <= repeat; r++) {
        long t0 = System.nanoTime();
        for (VideoRequest q : reqs) {
          GeneratedVideo g = pl.generate(q, i -> {});
          stages = g.timings().toString();
        }
        double a = (System.nanoTime() - t0) / 1e6 / reqs.size();
        t0 = System.nanoTime();
        pl.generateAll(reqs, (k, i) -> {});
        double b = (System.nanoTime() - t0) / 1e6 / reqs.size();
        if (r > 0) {
          single.add(a);
          batch.add(b);
        }
      }
      System.out.printf(Locale.ROOT, "tiny pipeline 64x64 1s %d steps: %.1f ms/video one-by-one, %.1f ms/video"
          + " generateAll(4); last stage ms %s%n", cfg.numSteps(), median(single), median(batch), stages);
    }
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    s.sort(null);
    return s.isEmpty() ? Double.NaN : s.get(s.size() / 2);
  }

  private static String arg(String[] args, String key, String dflt) {
    for (String a : args) {
      if (a.startsWith(key + "=")) {
        return a.substring(key.length() + 1);
      }
    }
    return dflt;
  }
}
