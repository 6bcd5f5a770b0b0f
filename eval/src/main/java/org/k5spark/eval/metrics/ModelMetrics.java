package org.k5spark.eval.metrics;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.k5spark.core.weights.SafetensorsFile;
import org.k5spark.core.weights.WeightFileException;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.weights.TensorSource;
import org.k5spark.eval.vit.ClipTextEncoder;
import org.k5spark.eval.vit.ClipTokenizer;
import org.k5spark.eval.vit.ImageEncoder;
import org.k5spark.eval.vit.VitImageEncoder;

/**
 * The embedding-based VBench dimensions, built from safetensors files in one weights directory; each one whose
 * file is absent is reported "not computed (no weights …)" naming the file it looked for.
 *
 * <p>Expected files (converted from the checkpoints VBench loads, keys as in the original state_dicts):
 * {@value #DINO} (dino_vitbase16_pretrain.pth), {@value #CLIP_B32} (OpenAI CLIP ViT-B/32, {@code visual.*} used),
 * {@value #CLIP_L14} (OpenAI CLIP ViT-L/14) and {@value #AESTHETIC_HEAD} (sa_0_4_vit_l_14_linear.pth:
 * {@code weight} (1, 768), {@code bias} (1)); text_video_alignment also needs {@value #CLIP_TOKENIZER} (the
 * Hugging Face tokenizer.json of openai/clip-vit-base-patch32) and the text tower keys of {@value #CLIP_B32}.
 */
public final class ModelMetrics implements AutoCloseable {
  public static final String DINO = "dino_vitb16.safetensors";
  public static final String CLIP_B32 = "clip_vitb32.safetensors";
  public static final String CLIP_L14 = "clip_vitl14.safetensors";
  public static final String AESTHETIC_HEAD = "laion_aesthetic_vitl14_linear.safetensors";
  public static final String CLIP_TOKENIZER = "clip_tokenizer.json";

  private final List<VideoMetric> metrics = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  private ModelMetrics() {
  }

  /** Every model-based dimension reported as "not computed (no weights)". */
  public static ModelMetrics none() {
    return create(null, null);
  }

  /** @param weightsDir directory with the files above, or null when no weights are available */
  public static ModelMetrics create(Path weightsDir, Device device) {
    ModelMetrics m = new ModelMetrics();
    try {
      m.load(weightsDir, device);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
    return m;
  }

  private void load(Path weightsDir, Device device) {
    ModelMetrics m = this;
    Path dino = find(weightsDir, DINO);
    if (dino != null) {
      m.metrics.add(new EmbeddingConsistency("subject_consistency", m.keep(VitImageEncoder.dino("dino_vitb16", dino, device))));
    } else {
      m.metrics.add(missing("subject_consistency", "dino_vitb16", weightsDir, DINO));
    }
    Path clipB = find(weightsDir, CLIP_B32);
    ImageEncoder clipImages = null;
    if (clipB != null) {
      clipImages = m.keep(VitImageEncoder.clip("clip_vitb32", clipB, device));
      m.metrics.add(new EmbeddingConsistency("background_consistency", clipImages));
    } else {
      m.metrics.add(missing("background_consistency", "clip_vitb32", weightsDir, CLIP_B32));
    }
    Path clipL = find(weightsDir, CLIP_L14);
    Path head = find(weightsDir, AESTHETIC_HEAD);
    if (clipL != null && head != null) {
      float[][] wb = readHead(head);
      m.metrics.add(new AestheticQuality(m.keep(VitImageEncoder.clip("clip_vitl14", clipL, device)), wb[0], wb[1][0]));
    } else {
      m.metrics.add(missing("aesthetic_quality", "clip_vitl14+laion_aesthetic_linear", weightsDir,
          clipL == null ? CLIP_L14 : AESTHETIC_HEAD));
    }
    Path tokenizerJson = find(weightsDir, CLIP_TOKENIZER);
    if (clipImages != null && tokenizerJson != null) {
      ClipTextEncoder text;
      try (TensorSource src = TensorSource.open(clipB)) {
        text = ClipTextEncoder.load(src, null, TorchRuntime.newManager(device));
      }
      m.closeables.add(text);
      ClipTokenizer tok = new ClipTokenizer(tokenizerJson, text.contextLength());
      m.closeables.add(tok);
      m.metrics.add(new TextVideoAlignment(clipImages, text, tok));
    } else {
      m.metrics.add(missing(TextVideoAlignment.NAME, "clip_vitb32", weightsDir, clipB == null ? CLIP_B32 : CLIP_TOKENIZER));
    }
  }

  public List<VideoMetric> metrics() {
    return List.copyOf(metrics);
  }

  private ImageEncoder keep(ImageEncoder e) {
    closeables.add(e);
    return e;
  }

  private static Path find(Path dir, String file) {
    if (dir == null) {
      return null;
    }
    Path p = dir.resolve(file);
    return Files.isRegularFile(p) ? p : null;
  }

  private static VideoMetric missing(String name, String model, Path dir, String file) {
    String where = dir == null ? "no weights directory configured" : "expected " + dir.resolve(file);
    return new UnportedModelMetric(name, model, "no weights (" + where + ")");
  }

  private static float[][] readHead(Path file) {
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      if (!f.keys().contains("weight") || !f.keys().contains("bias")) {
        throw new WeightFileException(file + ": aesthetic head needs tensors 'weight' (1, d) and 'bias' (1), found " + f.keys());
      }
      return new float[][] {f.floats("weight"), f.floats("bias")};
    }
  }

  @Override
  public void close() {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing " + c, e);
      }
    }
  }
}
