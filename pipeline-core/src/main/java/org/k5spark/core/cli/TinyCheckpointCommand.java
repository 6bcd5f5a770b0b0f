package org.k5spark.core.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.tiny.ReleasedSizeCheckpoint;
import org.k5spark.core.tiny.TinyCheckpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code k5 tiny-checkpoint <dir>}: writes the deterministic tiny model set (configs/model/tiny.yaml); with
 * {@code --released-sizes <model>} random checkpoints at that config's released sizes instead.
 */
@Command(name = "tiny-checkpoint", mixinStandardHelpOptions = true,
    description = {"Write the deterministic tiny checkpoints (random weights, released layout) under <dir>:",
        "<dir>/model/kandinsky5lite_t2v_tiny.safetensors (+ VAE and text encoders where available).",
        "Use <dir> as the weights root with the embedded 'tiny' model config.",
        "--released-sizes <yaml|name> writes random weights at the released sizes instead (DiT in bf16, full VAE",
        "decoder, CLIP-L, Qwen2.5-VL at its real width with --qwen-layers layers): ~7 GB for sft_5s."})
public final class TinyCheckpointCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "<dir>", description = "weights root to write into")
  Path dir;

  @Option(names = "--released-sizes", paramLabel = "<yaml|name>",
      description = "write random checkpoints at this model config's released sizes (for real-size smoke runs)")
  String releasedSizes;

  @Option(names = "--qwen-layers", defaultValue = "2",
      description = "Qwen decoder layers with --released-sizes (the release has 28; default: ${DEFAULT-VALUE})")
  int qwenLayers;

  @Override
  public Integer call() throws IOException {
    if (releasedSizes == null) {
      ModelConfig cfg = TinyCheckpoint.writeAll(dir);
      System.out.println("wrote " + cfg.checkpoint(dir));
      return ExitCode.OK;
    }
    if (qwenLayers < 1 || qwenLayers > 28) {
      System.err.println("k5 tiny-checkpoint: --qwen-layers " + qwenLayers + ": expected 1..28");
      return ExitCode.USAGE;
    }
    ModelConfig cfg;
    try {
      cfg = ModelConfig.resolve(releasedSizes);
    } catch (RuntimeException e) {
      System.err.println("k5 tiny-checkpoint: " + e.getMessage());
      return ExitCode.REFUSED;
    }
    long t0 = System.nanoTime();
    long bytes = ReleasedSizeCheckpoint.write(cfg, dir, qwenLayers, TinyCheckpoint.SEED);
    System.out.printf(Locale.ROOT, "wrote %.2f GB of random %s-size checkpoints under %s in %.0f s%n", bytes / 1e9,
        cfg.variant(), dir, (System.nanoTime() - t0) / 1e9);
    return ExitCode.OK;
  }
}
