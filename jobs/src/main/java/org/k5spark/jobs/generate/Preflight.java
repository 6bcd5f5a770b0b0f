package org.k5spark.jobs.generate;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.weights.WeightFileException;
import org.k5spark.eval.store.FsCommit;
import org.k5spark.jobs.spark.ModelFiles;
import org.k5spark.jobs.spark.items.ItemTask;
import org.k5spark.jobs.spark.items.JobRefusal;

/**
 * The generate job's checks on the driver, before the stage: what would fail every prompt on the executors
 * (an unwritable output root, a model config that does not parse, a DiT checkpoint whose header is broken), and
 * prompt CSVs that are missing, not UTF-8 or empty, fail the run once, as one line, with nothing generated.
 * Otherwise each would surface as a 16–20-line stack trace, or (an empty CSV) as a silent empty run.
 */
final class Preflight {
  private Preflight() {}

  static void run(GenerateConfig cfg, Configuration conf) throws IOException {
    if (GenerateConfig.DEFAULT_FACTORY.equals(cfg.factoryClass())) {
      ModelConfig model = model(cfg, conf);
      magRatios(cfg, model);
      checkpoint(cfg, model);
    }
    // last: the probe creates the run directory, and a run refused for its model must leave nothing behind
    outputWritable(cfg.layout(), conf);
  }

  /** Creates the run directory and commits a probe file the way every video and part will be committed. */
  static void outputWritable(RunLayout layout, Configuration conf) {
    Path probe = new Path(layout.tmp(), ".write-probe");
    try {
      FileSystem fs = layout.runDir().getFileSystem(conf);
      if (!fs.mkdirs(layout.runDir())) {
        throw new IOException("mkdirs failed");
      }
      FsCommit.commitBytes(new byte[] {1}, probe, layout.tmp(), conf);
      fs.delete(probe, false);
    } catch (IOException | RuntimeException e) {
      throw new JobRefusal(layout.out() + ": output root is not writable (cannot commit into " + layout.runDir()
          + ": " + ItemTask.oneLine(e) + ")");
    }
  }

  static ModelConfig model(GenerateConfig cfg, Configuration conf) throws IOException {
    if (ModelFiles.isEmbeddedConfigName(cfg.modelConfig())) {
      return ModelConfig.embedded(cfg.modelConfig());
    }
    Path p = new Path(cfg.modelConfig());
    try (var in = p.getFileSystem(conf).open(p)) {
      return ModelConfig.parse(in, cfg.modelConfig());
    } catch (java.io.FileNotFoundException e) {
      throw new JobRefusal("--model " + cfg.modelConfig() + ": no such file");
    } catch (IllegalArgumentException e) {
      throw new JobRefusal("--model " + e.getMessage());
    }
  }

  /** --magcache needs the variant's ratios; without them every prompt would fail on the executors. */
  static void magRatios(GenerateConfig cfg, ModelConfig model) {
    if (cfg.sampling().magCache() && model.magRatios().length == 0) {
      throw new JobRefusal("--magcache: " + cfg.modelConfig() + " has no magcache.mag_ratios for variant "
          + model.variant() + " (calibrate them with `k5 magcache-calibrate`)");
    }
  }

  /**
   * A local DiT checkpoint must exist (tiny variants are written on first use) and its header must parse: a
   * truncated or foreign file is refused here. Its values (NaN/Inf) are checked where the weights are loaded,
   * on each executor, and fail each prompt with the tensor's name. Remote roots are checked by the executors.
   */
  static void checkpoint(GenerateConfig cfg, ModelConfig model) {
    String root = cfg.weightsRoot() == null ? "weights" : cfg.weightsRoot();
    if (root.contains("://") && !root.startsWith("file:")) {
      return;
    }
    java.nio.file.Path local = java.nio.file.Path.of(root.startsWith("file:") ? new Path(root).toUri().getPath() : root);
    java.nio.file.Path ckpt = model.checkpoint(local);
    if (!java.nio.file.Files.exists(ckpt)) {
      if (model.variant().startsWith("tiny")) {
        return;
      }
      throw new JobRefusal("--weights-root " + root + ": the DiT checkpoint " + ckpt + " does not exist");
    }
    try (var src = org.k5spark.core.weights.TensorSource.open(ckpt)) {
      src.keys();
    } catch (WeightFileException | IllegalArgumentException e) {
      // the reader's messages start with the file they concern: do not name it twice
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new JobRefusal(why.startsWith(ckpt.toString()) ? "DiT checkpoint " + why : "DiT checkpoint " + ckpt + ": " + why);
    }
  }

  /**
   * Reads every prompt CSV (refusing the first unreadable one); returns those that hold no rows (header only).
   * The job parses them once more: prompt files are small, and knowing which one is empty lets the warning name it.
   */
  static List<String> emptyPromptFiles(GenerateConfig cfg, Configuration conf) {
    List<String> empty = new ArrayList<>();
    for (String csv : cfg.prompts()) {
      if (PromptSuites.read(cfg.readerOptions(), csv, bytes(csv, conf)).isEmpty()) {
        empty.add(csv);
      }
    }
    return empty;
  }

  private static byte[] bytes(String csv, Configuration conf) {
    Path p = new Path(csv);
    try {
      FileSystem fs = p.getFileSystem(conf);
      FileStatus st = fs.getFileStatus(p);
      if (st.isDirectory()) {
        throw new JobRefusal(csv + ": is a directory, not a prompt CSV");
      }
      try (var in = fs.open(p)) {
        return in.readAllBytes();
      }
    } catch (FileNotFoundException e) {
      throw new JobRefusal(csv + ": no such prompt file");
    } catch (IOException e) {
      throw new JobRefusal(csv + ": cannot read the prompt file (" + ItemTask.oneLine(e) + ")");
    }
  }
}
