package org.k5spark.eval.metrics;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.k5spark.core.weights.SafetensorsFile;
import org.k5spark.core.weights.WeightFileException;
import org.k5spark.eval.vit.ImageEncoder;
import org.k5spark.eval.vit.VitImageEncoder;

/**
 * The embedding-based VBench dimensions, built from safetensors files in one weights directory; each one whose
 * file is absent is reported "not computed (no weights …)" naming the file it looked for.
 *
 * <p>Expected files (converted from the checkpoints VBench loads, keys as in the original state_dicts):
 * {@value #DINO} (dino_vitbase16_pretrain.pth), {@value #CLIP_B32} (OpenAI CLIP ViT-B/32, {@code visual.*} used),
 * {@value #CLIP_L14} (OpenAI CLIP ViT-L/14) and {@value #AESTHETIC_HEAD} (sa_0_4_vit_l_14_linear.pth:
 * {@code weight} (1, 768), {@code bias} (1)).
 */
public final class ModelMetrics implements AutoCloseable {
  public static final String DINO = "dino_vitb16.safetensors";
  public static final String CLIP_B32 = "clip_vitb32.safetensors";
  public static final String CLIP_L14 = "clip_vitl14.safetensors";
  public static final String AESTHETIC_HEAD = "laion_aesthetic_vitl14_linear.safetensors";

  private final List<VideoMetric> metrics = new ArrayList<>();
  private final List<ImageEncoder> encoders = new ArrayList<>();

  private ModelMetrics() {
  }

  /** Every model-based dimension reported as "not computed (no weights)". */
  public static ModelMetrics none() {
    return create(null, null);
  }

  /** @param weightsDir directory with the files above, or null when no weights are available */
  public static ModelMetrics create(Path weightsDir, Device device) {
    ModelMetrics m = new ModelMetrics();
    Path dino = find(weightsDir, DINO);
    if (dino != null) {
      m.metrics.add(new EmbeddingConsistency("subject_consistency", m.keep(VitImageEncoder.dino("dino_vitb16", dino, device))));
    } else {
      m.metrics.add(missing("subject_consistency", "dino_vitb16", weightsDir, DINO));
    }
    Path clipB = find(weightsDir, CLIP_B32);
    if (clipB != null) {
      m.metrics.add(new EmbeddingConsistency("background_consistency",
          m.keep(VitImageEncoder.clip("clip_vitb32", clipB, device))));
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
    // the CLIP text tower lives with the generation text encoders; until it is wired in here the score is absent
    m.metrics.add(new UnportedModelMetric("text_video_alignment", "clip_vitb32",
        "no weights (CLIP ViT-B/32 text tower not wired into eval)"));
    return m;
  }

  public List<VideoMetric> metrics() {
    return List.copyOf(metrics);
  }

  private ImageEncoder keep(ImageEncoder e) {
    encoders.add(e);
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
    for (ImageEncoder e : encoders) {
      e.close();
    }
  }
}
