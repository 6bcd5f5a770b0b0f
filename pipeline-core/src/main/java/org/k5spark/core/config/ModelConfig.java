package org.k5spark.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A model variant's YAML: the reference's structure ({@code metrics}, {@code model.{checkpoint_path, num_steps,
 * guidance_weight, dit_params, attention, vae, text_embedder}}, {@code magcache}) plus our {@code k5spark}
 * section (variant name, allowed resolutions, fps, default duration). Every missing or bad field, and every
 * key no section reads, fails with a {@link ConfigException} naming the field and the file.
 */
public record ModelConfig(String source, String variant, Metrics metrics, String checkpointPath, int numSteps,
    double guidanceWeight, DitParams ditParams, AttentionConfig attention, Vae vae, TextEmbedder textEmbedder,
    double[] magRatios, List<Resolution> resolutions, int fps, double defaultSeconds) {

  /**
   * The scheduler scale when a YAML has no {@code metrics.scheduler_scale}: 5.0, what the reference's documented
   * command lines produce ({@code test.py --scheduler_scale}, default 5.0, passed to every call; commit 873617bb).
   * Its Python API {@code Kandinsky5T2VPipeline.__call__} defaults to 10.0 instead. Every shipped YAML states its
   * value with this provenance, and the run card records the effective one.
   */
  public static final double DEFAULT_SCHEDULER_SCALE = 5.0;
  /** Classpath location of the embedded configs (configs/model/*.yaml of the repository). */
  public static final String EMBEDDED_DIR = "/configs/model/";

  /** {@code metrics}: RoPE scale factor (t, h, w), the resolution class, the scheduler scale. */
  public record Metrics(float[] scaleFactor, int resolution, double schedulerScale) {}

  public record Vae(String checkpointPath, String name) {}

  public record Encoder(String checkpointPath, int embSize, int maxLength) {}

  public record TextEmbedder(Encoder qwen, Encoder clip) {}

  /** An allowed output size in pixels. */
  public record Resolution(int height, int width) {
    @Override
    public String toString() {
      return height + "x" + width;
    }
  }

  public static ModelConfig load(Path file) {
    String src = file.toString();
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(src + ": model config file does not exist");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return parse(in, src);
    } catch (IOException e) {
      throw new ConfigException(src + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** An embedded config by name, e.g. "tiny" or "sft_5s" (classpath /configs/model/NAME.yaml). */
  public static ModelConfig embedded(String name) {
    String res = EMBEDDED_DIR + name + ".yaml";
    try (InputStream in = ModelConfig.class.getResourceAsStream(res)) {
      if (in == null) {
        throw new ConfigException("classpath:" + res + ": no embedded model config named '" + name + "'");
      }
      return parse(in, "classpath:" + res);
    } catch (IOException e) {
      throw new ConfigException("classpath:" + res + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** A YAML path, or the name of an embedded config when no such file exists. */
  public static ModelConfig resolve(String pathOrName) {
    Path p = Path.of(pathOrName);
    if (Files.isRegularFile(p) || pathOrName.endsWith(".yaml") || pathOrName.endsWith(".yml")) {
      return load(p);
    }
    return embedded(pathOrName);
  }

  public static ModelConfig parse(InputStream yaml, String source) {
    JsonNode tree;
    try {
      tree = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (IOException e) {
      throw new ConfigException(source + ": not valid YAML: " + e.getMessage(), e);
    }
    ConfigNode root = ConfigNode.root(tree, source).allowOnly("metrics", "model", "magcache", "k5spark");
    ConfigNode metrics = root.child("metrics").allowOnly("scale_factor", "resolution", "scheduler_scale");
    double[] sf = metrics.numbers("scale_factor", 3);
    Metrics m = new Metrics(new float[] {(float) sf[0], (float) sf[1], (float) sf[2]}, metrics.positiveInt("resolution"),
        metrics.number("scheduler_scale", DEFAULT_SCHEDULER_SCALE));
    ConfigNode model = root.child("model").allowOnly("checkpoint_path", "num_steps", "guidance_weight", "dit_params",
        "attention", "vae", "text_embedder");
    ConfigNode vae = model.child("vae").allowOnly("checkpoint_path", "name");
    ConfigNode te = model.child("text_embedder").allowOnly("qwen", "clip");
    ConfigNode ours = root.child("k5spark").allowOnly("variant", "resolutions", "fps", "default_seconds");
    List<Resolution> res = new ArrayList<>();
    for (int[] p : ours.intPairs("resolutions")) {
      if (p[0] % 16 != 0 || p[1] % 16 != 0) {
        throw ours.fail("resolutions", "entries must be multiples of 16 pixels (VAE 8x, patch 2x), got "
            + p[0] + "x" + p[1]);
      }
      res.add(new Resolution(p[0], p[1]));
    }
    double seconds = ours.number("default_seconds");
    if (seconds < 0) {
      throw ours.fail("default_seconds", "must be >= 0, got " + seconds);
    }
    double[] mag = root.has("magcache") ? root.child("magcache").allowOnly("mag_ratios").numbers("mag_ratios", 0) : new double[0];
    int steps = model.positiveInt("num_steps");
    return new ModelConfig(source, ours.string("variant"), m, model.string("checkpoint_path"), steps,
        model.number("guidance_weight"), DitParams.parse(model.child("dit_params")),
        AttentionConfig.parse(model.child("attention")), new Vae(vae.string("checkpoint_path"), vae.string("name")),
        new TextEmbedder(encoder(te.child("qwen")), encoder(te.child("clip"))), mag, List.copyOf(res),
        ours.positiveInt("fps"), seconds);
  }

  private static Encoder encoder(ConfigNode n) {
    n.allowOnly("checkpoint_path", "emb_size", "max_length");
    return new Encoder(n.string("checkpoint_path"), n.positiveInt("emb_size"), n.positiveInt("max_length"));
  }

  /**
   * Resolves a checkpoint path of the YAML against a weights root: "./weights/model/x" becomes
   * ROOT/model/x; other relative paths resolve against ROOT too; absolute paths stay.
   */
  public static Path resolveWeight(String configured, Path weightsRoot) {
    Path root = weightsRoot == null ? Path.of("./weights") : weightsRoot;
    String p = configured;
    for (String prefix : new String[] {"./weights/", "weights/"}) {
      if (p.startsWith(prefix)) {
        p = p.substring(prefix.length());
        break;
      }
    }
    Path q = Path.of(p);
    return q.isAbsolute() ? q : root.resolve(q).normalize();
  }

  public Path checkpoint(Path weightsRoot) {
    return resolveWeight(checkpointPath, weightsRoot);
  }

  /** True when the DiT is called twice per step (classifier-free guidance). */
  public boolean guided() {
    return Math.abs(guidanceWeight - 1.0) > 1e-6;
  }

  /** Fails with the allowed list when (height, width) is not a supported output size of this variant. */
  public Resolution checkResolution(int height, int width) {
    for (Resolution r : resolutions) {
      if (r.height() == height && r.width() == width) {
        return r;
      }
    }
    throw new IllegalArgumentException("resolution " + height + "x" + width + " (height x width) is not supported by "
        + variant + "; allowed: " + resolutions + " (" + source + ")");
  }
}
