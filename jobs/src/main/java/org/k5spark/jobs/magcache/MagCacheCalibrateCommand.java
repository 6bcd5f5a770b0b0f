package org.k5spark.jobs.magcache;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.io.AtomicFiles;
import org.k5spark.core.pipeline.Kandinsky5Pipeline;
import org.k5spark.core.pipeline.VideoRequest;
import org.k5spark.core.sampler.FlowMatchingSampler;
import org.k5spark.core.sampler.MagCache;
import org.k5spark.core.tiny.TinyCheckpoint;
import org.k5spark.jobs.generate.PromptReader;
import org.k5spark.jobs.generate.PromptRecord;
import org.k5spark.jobs.generate.PromptSelection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code k5 magcache-calibrate}: measures a checkpoint's MagCache ratios on a few prompts (every block
 * running) and prints them as the model config's {@code magcache:} section. The released variants ship
 * the reference's ratios; a new checkpoint, a fine-tune or the tiny model needs its own.
 */
@Command(name = "magcache-calibrate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measure a checkpoint's MagCache ratios (the model config's magcache: section).",
        "Denoises a few prompts with every visual block running and records, per DiT call, the mean ratio of the"
            + " visual residual's norm to the previous step's. Prints (or writes with --out) the YAML to paste into"
            + " the model config, with the number of calls the reference rule will skip."})
public final class MagCacheCalibrateCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "<yaml|name>",
      description = "Model config: a YAML file or an embedded name such as tiny.")
  String model;

  @Option(names = "--weights-root", description = "Checkpoint directory (default ./weights; tiny writes its own).")
  Path weightsRoot;

  @Option(names = "--prompts", required = true, description = "Prompt CSV (the generate job's schema).")
  Path prompts;

  @Option(names = "--limit", defaultValue = "4", description = "Prompts to average over. Default: ${DEFAULT-VALUE}")
  int limit;

  @Option(names = "--steps", description = "Denoising steps (default: the config's num_steps, as the reference).")
  Integer steps;

  @Option(names = "--guidance", description = "Guidance weight (default: the config's).")
  Double guidance;

  @Option(names = "--seconds", description = "Video duration (default: the config's).")
  Double seconds;

  @Option(names = "--width", description = "Width (default: the config's).")
  Integer width;

  @Option(names = "--height", description = "Height (default: the config's).")
  Integer height;

  @Option(names = "--base-seed", defaultValue = "42", description = "Seed base, as in generate. Default: ${DEFAULT-VALUE}")
  long baseSeed;

  @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu, gpu:N or auto. Default: ${DEFAULT-VALUE}")
  String device;

  @Option(names = "--out", description = "Also write the YAML section to this file (atomically).")
  Path out;

  @Override
  public Integer call() throws IOException {
    return run(System.out);
  }

  int run(PrintStream stdout) throws IOException {
    List<PromptRecord> rows = new PromptSelection(null, null, 0, "concept", limit).apply(
        new PromptReader(PromptReader.Options.defaults().withBaseSeed(baseSeed))
            .read(prompts.toString(), Files.readAllBytes(prompts)));
    List<VideoRequest> reqs = new ArrayList<>();
    for (PromptRecord p : rows) {
      if (p.accepted()) {
        reqs.add(new VideoRequest(p.prompt(), null, p.seed(), width, height, seconds, steps, guidance, false));
      }
    }
    if (reqs.isEmpty()) {
      System.err.println("magcache-calibrate: no usable prompt in " + prompts);
      return 1;
    }
    ModelConfig cfg = ModelConfig.resolve(model);
    Path root = weightsRoot == null ? Path.of("weights") : weightsRoot;
    TinyCheckpoint.ensure(cfg, root);
    double[] ratios;
    try (Kandinsky5Pipeline pipeline = Kandinsky5Pipeline.load(cfg, root, TorchRuntime.device(device))) {
      ratios = pipeline.calibrateMagCache(reqs,
          k -> System.err.printf(Locale.ROOT, "magcache-calibrate: prompt %d/%d done%n", k + 1, reqs.size()));
    }
    int n = steps == null ? cfg.numSteps() : steps;
    boolean guided = Math.abs((guidance == null ? cfg.guidanceWeight() : guidance) - 1.0)
        > FlowMatchingSampler.NO_GUIDANCE_EPS;
    int skipped = MagCache.reference(ratios).skippedCalls(n, guided);
    String yaml = yaml(ratios, cfg.variant(), reqs.size(), n, skipped, guided ? 2 * n : n);
    stdout.print(yaml);
    if (out != null) {
      AtomicFiles.writeAtomically(out, yaml);
    }
    return 0;
  }

  /** The config section; five decimals as the reference's tables. */
  static String yaml(double[] ratios, String variant, int prompts, int steps, int skipped, int calls) {
    String list = DoubleStream.of(ratios).mapToObj(r -> String.format(Locale.ROOT, "%.5f", r))
        .collect(Collectors.joining(", ", "[", "]"));
    return String.format(Locale.ROOT, "# k5 magcache-calibrate: variant %s, %d prompts, %d steps%n"
        + "# the reference rule skips the visual blocks on %d of %d DiT calls with these ratios at %d steps%n"
        + "magcache:%n  mag_ratios: %s%n", variant, prompts, steps, skipped, calls, steps, list);
  }
}
