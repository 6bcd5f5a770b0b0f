package org.k5spark.core.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.tiny.TinyCheckpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code k5 tiny-checkpoint <dir>}: writes the deterministic tiny model set (configs/model/tiny.yaml). */
@Command(name = "tiny-checkpoint", mixinStandardHelpOptions = true,
    description = {"Write the deterministic tiny checkpoints (random weights, released layout) under <dir>:",
        "<dir>/model/kandinsky5lite_t2v_tiny.safetensors (+ VAE and text encoders where available).",
        "Use <dir> as the weights root with the embedded 'tiny' model config."})
public final class TinyCheckpointCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "<dir>", description = "weights root to write into")
  Path dir;

  @Override
  public Integer call() {
    ModelConfig cfg = TinyCheckpoint.writeAll(dir);
    System.out.println("wrote " + cfg.checkpoint(dir));
    return 0;
  }
}
