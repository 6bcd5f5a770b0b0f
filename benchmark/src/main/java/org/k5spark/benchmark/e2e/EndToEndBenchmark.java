package org.k5spark.benchmark.e2e;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.k5spark.benchmark.DitFlops;
import org.k5spark.benchmark.MachineInfo;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.dit.attention.AttentionBackend;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.pipeline.GeneratedVideo;
import org.k5spark.core.pipeline.Kandinsky5Pipeline;
import org.k5spark.core.pipeline.VideoRequest;
import org.k5spark.core.sampler.FlowMatchingSampler;
import org.k5spark.core.sampler.LatentGeometry;
import org.k5spark.core.text.QwenPromptTokenizer;
import org.k5spark.core.text.TextTokenizer;
import org.k5spark.core.tiny.TinyCheckpoint;
import org.k5spark.core.video.Mp4Writer;
import org.k5spark.core.io.AtomicFiles;

/**
 * End-to-end throughput of prompt → MP4 on one device: per-stage time (text encode, denoise, decode, MP4
 * encode, upload = local file write), seconds per video, videos/hour, peak host RSS (and device memory on a
 * GPU), DiT FLOP/s and MFU. One unmeasured warm-up video first. Writes a JSON result and, unless
 * {@code --check}, a row of benchmark/RESULTS.md. benchmark/run.sh is the entry point.
 */
public final class EndToEndBenchmark {
  static final String[] STAGES = {"text_encode", "denoise", "decode", "encode", "upload"};

  record Options(String config, String device, int prompts, Path weights, Double peakTflops, Path resultsDir,
      Path resultsMd, Path videosDir, Path promptsCsv, String notes, boolean check) {}

  private EndToEndBenchmark() {}

  public static void main(String[] args) throws IOException {
    Options o = parse(args);
    ObjectNode result = run(o);
    String json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(result);
    // a --check run is not a measurement: its JSON goes to the temp dir, not into benchmark/results
    Path dir = o.check() ? Path.of(System.getProperty("java.io.tmpdir")) : o.resultsDir();
    Path out = dir.resolve("e2e-" + result.get("config_variant").asText() + "-"
        + result.get("device").asText().replace(':', '-') + "-" + compactDate(result.get("date").asText()) + ".json");
    AtomicFiles.writeAtomically(out, json);
    System.out.println(json);
    System.err.println("e2e: wrote " + out);
    if (!o.check()) {
      Path md = o.resultsMd();
      String doc = Files.exists(md) ? Files.readString(md) : "";
      AtomicFiles.writeAtomically(md, ResultsMarkdown.insert(doc, result.get("markdown_row").asText()));
      System.err.println("e2e: added a row to " + md);
    }
  }

  static Options parse(String[] args) {
    String config = "tiny";
    String device = "cpu";
    int prompts = 3;
    Path weights = null;
    Double peak = null;
    Path resultsDir = Path.of("benchmark/results");
    Path md = Path.of("benchmark/RESULTS.md");
    Path videos = null;
    Path csv = Path.of("configs/prompts/sample.csv");
    String notes = "";
    boolean check = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--config" -> config = value(args, ++i, a);
        case "--device" -> device = value(args, ++i, a);
        case "--prompts" -> prompts = Integer.parseInt(value(args, ++i, a));
        case "--weights" -> weights = Path.of(value(args, ++i, a));
        case "--peak-tflops" -> peak = Double.parseDouble(value(args, ++i, a));
        case "--results-dir" -> resultsDir = Path.of(value(args, ++i, a));
        case "--results-md" -> md = Path.of(value(args, ++i, a));
        case "--videos-dir" -> videos = Path.of(value(args, ++i, a));
        case "--prompts-csv" -> csv = Path.of(value(args, ++i, a));
        case "--notes" -> notes = value(args, ++i, a);
        case "--check" -> check = true;
        default -> throw new IllegalArgumentException("unknown argument " + a + " (see benchmark/run.sh --help)");
      }
    }
    if (prompts < 1) {
      throw new IllegalArgumentException("--prompts must be >= 1, got " + prompts);
    }
    if (check) {
      prompts = 1;
    }
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    return new Options(config, device, prompts, weights, peak, resultsDir, md,
        videos != null ? videos : tmp.resolve("k5-bench-videos"), csv, notes, check);
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }

  static ObjectNode run(Options o) throws IOException {
    ObjectMapper om = new ObjectMapper();
    ObjectNode root = om.createObjectNode();
    root.put("benchmark", "end_to_end");
    String date = Instant.now().toString();
    root.put("date", date);
    ObjectNode machine = MachineInfo.describe(om);
    root.set("machine", machine);

    ModelConfig cfg = ModelConfig.resolve(o.config());
    boolean tiny = "tiny".equals(cfg.variant());
    Path weights = o.weights() != null ? o.weights()
        : tiny ? Path.of(System.getProperty("java.io.tmpdir"), "k5-bench-tiny-weights") : Path.of("weights");
    if (tiny) {
      long t0 = System.nanoTime();
      TinyCheckpoint.writeAll(weights);
      root.put("tiny_checkpoint_write_s", seconds(t0));
    }
    root.put("config", o.config());
    root.put("config_variant", cfg.variant());
    root.put("weights", weights.toString());
    Device device = TorchRuntime.device(o.device());
    root.put("device", deviceName(device));

    List<String> prompts = Prompts.load(o.promptsCsv(), o.prompts());
    String promptsSource = Files.isRegularFile(o.promptsCsv()) ? o.promptsCsv().getFileName().toString()
        : "built-in list";
    root.put("prompts_source", promptsSource);

    double peakFlops;
    String peakSource;
    if (o.peakTflops() != null) {
      peakFlops = o.peakTflops() * 1e12;
      peakSource = "given " + o.peakTflops() + " TFLOP/s";
    } else {
      int n = device.isGpu() ? 8192 : 1024;
      peakFlops = MatmulProbe.peakFlops(device, n, 5);
      peakSource = String.format(Locale.ROOT, "measured %.1f GFLOP/s, %dx%d %s matmul", peakFlops / 1e9, n, n,
          device.isGpu() ? "fp16" : "fp32");
    }
    root.put("peak_flops", peakFlops);
    root.put("peak_flops_source", peakSource);

    GpuMemorySampler gpuMem = device.isGpu() ? new GpuMemorySampler(device.getDeviceId()) : null;
    Files.createDirectories(o.videosDir());
    long t0 = System.nanoTime();
    try (Kandinsky5Pipeline pipe = Kandinsky5Pipeline.load(cfg, weights, device)) {
      root.put("load_s", seconds(t0));
      long tw = System.nanoTime();
      generate(pipe, VideoRequest.of(prompts.get(0), 0), o.videosDir().resolve("warmup.mp4"));
      root.put("warmup_video_s", seconds(tw));

      Map<String, double[]> stage = new LinkedHashMap<>();
      for (String s : STAGES) {
        stage.put(s, new double[prompts.size()]);
      }
      double[] total = new double[prompts.size()];
      ArrayNode videos = root.putArray("videos");
      GeneratedVideo last = null;
      for (int i = 0; i < prompts.size(); i++) {
        long tv = System.nanoTime();
        Generated g = generate(pipe, VideoRequest.of(prompts.get(i), 1000 + i),
            o.videosDir().resolve(String.format(Locale.ROOT, "video-%03d.mp4", i)));
        total[i] = seconds(tv);
        last = g.video();
        ObjectNode v = videos.addObject();
        v.put("prompt", prompts.get(i));
        v.put("total_s", total[i]);
        for (String s : STAGES) {
          stage.get(s)[i] = g.stageSeconds().get(s);
          v.put(s + "_s", g.stageSeconds().get(s));
        }
        v.put("mp4_bytes", g.mp4Bytes());
      }
      ObjectNode stages = root.putObject("stages_s");
      List<Double> means = new ArrayList<>();
      for (String s : STAGES) {
        Stats st = Stats.of(stage.get(s));
        stages.set(s, stats(om, st));
        means.add(st.mean());
      }
      Stats tot = Stats.of(total);
      root.set("seconds_per_video", stats(om, tot));
      double vph = Mfu.videosPerHour(tot.mean());
      root.put("videos_per_hour", vph);

      // DiT FLOPs of one video at the size the pipeline produced
      Shape latent = LatentGeometry.latentShape(cfg, last.height(), last.width(), cfg.defaultSeconds());
      long visualTokens = DitFlops.visualTokens(new long[] {latent.get(0), latent.get(1), latent.get(2)},
          cfg.ditParams().patchSize());
      var content = latent.get(0) > 1 ? QwenPromptTokenizer.Content.VIDEO : QwenPromptTokenizer.Content.IMAGE;
      int maxLen = cfg.textEmbedder().qwen().maxLength();
      Path qwenDir = ModelConfig.resolveWeight(cfg.textEmbedder().qwen().checkpointPath(), weights);
      double flops = 0;
      long[] promptTokens = new long[prompts.size()];
      long negTokens;
      try (TextTokenizer tok = TextTokenizer.load(qwenDir)) {
        QwenPromptTokenizer qt = new QwenPromptTokenizer(tok);
        negTokens = textTokens(qt, FlowMatchingSampler.DEFAULT_NEGATIVE_PROMPT, content, maxLen);
        for (int i = 0; i < prompts.size(); i++) {
          promptTokens[i] = textTokens(qt, prompts.get(i), content, maxLen);
          flops += Mfu.flopsPerVideo(DitFlops.of(cfg.ditParams()), visualTokens, promptTokens[i], negTokens,
              last.steps(), cfg.guided(), 1.0);
        }
      }
      flops /= prompts.size();
      double denoise = Stats.of(stage.get("denoise")).mean();
      double achieved = Mfu.achieved(flops, denoise);
      double mfu = Mfu.mfu(flops, denoise, peakFlops);
      ObjectNode shape = root.putObject("shape");
      shape.put("width", last.width());
      shape.put("height", last.height());
      shape.put("frames", last.frames().frames());
      shape.put("latent", latent.toString());
      shape.put("visual_tokens", visualTokens);
      shape.put("mean_prompt_tokens", java.util.Arrays.stream(promptTokens).average().orElse(0));
      shape.put("negative_prompt_tokens", negTokens);
      shape.put("steps", last.steps());
      shape.put("guided", cfg.guided());
      shape.put("attention", cfg.attention().type());
      shape.put("attention_backend", AttentionBackend.fromSystemProperty().name());
      root.put("dit_forwards_per_video", Mfu.forwardsPerVideo(last.steps(), cfg.guided()));
      root.put("dit_flops_per_video", flops);
      root.put("dit_flops_per_s", achieved);
      root.put("mfu", mfu);
      if (cfg.attention().nabla()) {
        root.put("mfu_note", "NABLA config: FLOPs counted dense (attended fraction 1), so MFU is dense-equivalent");
      }
      long rssMib = MachineInfo.procStatusKb("VmHWM") / 1024;
      root.put("peak_host_rss_mib", rssMib);
      Long devMib = null;
      if (gpuMem != null) {
        devMib = gpuMem.peakMib() < 0 ? null : gpuMem.peakMib();
        gpuMem.close();
        root.put("peak_device_memory_mib", devMib == null ? -1 : devMib);
      }
      String notes = (o.notes().isEmpty() ? "" : o.notes() + "; ") + "prompts " + promptsSource + "; attention "
          + AttentionBackend.fromSystemProperty().name() + "; load avg at start "
          + machine.path("load_avg_at_start").asText("?").split(" ")[0];
      root.put("markdown_row", ResultsMarkdown.row(date.substring(0, 16).replace('T', ' '),
          MachineInfo.oneLine(machine), cfg.variant() + " " + last.width() + "x" + last.height() + "x"
              + last.frames().frames() + "f, " + last.steps() + " steps" + (cfg.guided() ? " CFG" : ""),
          deviceName(device), prompts.size(), means, tot.mean(), vph, rssMib, devMib, achieved / 1e9, mfu,
          peakSource, notes));
    }
    return root;
  }

  record Generated(GeneratedVideo video, Map<String, Double> stageSeconds, int mp4Bytes) {}

  /** One video: pipeline stages from its own timings, then MP4 encode and the file write ("upload"). */
  static Generated generate(Kandinsky5Pipeline pipe, VideoRequest req, Path target) throws IOException {
    GeneratedVideo v = pipe.generate(req, i -> { });
    long te = System.nanoTime();
    // encode and upload apart: the MP4 (fragmented, as streamed to object storage) into memory, then the write
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream(1 << 20);
    new Mp4Writer().write(v.frames(), buf, target.toString());
    byte[] mp4 = buf.toByteArray();
    double encode = seconds(te);
    long tu = System.nanoTime();
    AtomicFiles.writeBytes(target, os -> os.write(mp4));
    double upload = seconds(tu);
    Map<String, Double> s = new LinkedHashMap<>();
    s.put("text_encode", v.timings().get("text_encode") / 1000);
    s.put("denoise", v.timings().get("denoise") / 1000);
    s.put("decode", v.timings().get("decode") / 1000);
    s.put("encode", encode);
    s.put("upload", upload);
    return new Generated(v, s, mp4.length);
  }

  /** Qwen tokens the DiT sees for a prompt: template tokens cropped, capped at max_length. */
  static long textTokens(QwenPromptTokenizer qt, String prompt, QwenPromptTokenizer.Content content, int maxLen) {
    int len = qt.tokenize(List.of(prompt), content, maxLen).rows()[0].length;
    return Math.max(0, Math.min(maxLen, len - content.cropStart()));
  }

  static String deviceName(Device d) {
    return d.isGpu() ? "gpu:" + d.getDeviceId() : "cpu";
  }

  private static ObjectNode stats(ObjectMapper om, Stats s) {
    ObjectNode n = om.createObjectNode();
    n.put("mean", s.mean());
    n.put("median", s.median());
    n.put("min", s.min());
    n.put("max", s.max());
    n.put("stdev", s.stdev());
    n.put("n", s.n());
    return n;
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  static String compactDate(String iso) {
    return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.parse(iso));
  }

}
