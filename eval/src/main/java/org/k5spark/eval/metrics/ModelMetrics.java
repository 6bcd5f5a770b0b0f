package org.k5spark.eval.metrics;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.k5spark.core.weights.WeightFileException;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.weights.TensorSource;
import org.k5spark.eval.vit.ClipTextEncoder;
import org.k5spark.eval.vit.ClipTokenizer;
import org.k5spark.eval.vit.ImageEncoder;
import org.k5spark.eval.vit.VitImageEncoder;

/**
 * The embedding-based VBench dimensions, built from the weight files in one weights directory; each one whose
 * file is absent is reported "not computed (no weights …)" naming the files it looked for.
 *
 * <p>Each model is read from its converted safetensors (preferred, keys as in the original state_dicts) or from
 * VBench's own file as it ships, directly in the directory or in VBench's cache layout ({@code ~/.cache/vbench}):
 * {@value #DINO} or {@code dino_model/dino_vitbase16_pretrain.pth}; {@value #CLIP_B32} or
 * {@code clip_model/ViT-B-32.pt} (OpenAI CLIP ViT-B/32, {@code visual.*} used); {@value #CLIP_L14} or
 * {@code clip_model/ViT-L-14.pt}; {@value #AESTHETIC_HEAD} or {@code aesthetic_model/emb_reader/sa_0_4_vit_l_14_linear.pth}
 * (LAION's {@code nn.Linear(768, 1)}: {@code weight} (1, 768), {@code bias} (1)). The .pth/.pt files are read by
 * {@link org.k5spark.core.weights.TorchCheckpoint}, which executes nothing. text_video_alignment also needs
 * {@value #CLIP_TOKENIZER} (the Hugging Face tokenizer.json of openai/clip-vit-base-patch32) and the text tower
 * keys of the ViT-B/32 file.
 */
public final class ModelMetrics implements AutoCloseable {
  public static final String DINO = "dino_vitb16.safetensors";
  public static final String CLIP_B32 = "clip_vitb32.safetensors";
  public static final String CLIP_L14 = "clip_vitl14.safetensors";
  public static final String AESTHETIC_HEAD = "laion_aesthetic_vitl14_linear.safetensors";
  public static final String CLIP_TOKENIZER = "clip_tokenizer.json";

  /** A model's weight file: the converted safetensors, else VBench's file name (flat or under its cache subfolder). */
  public record WeightFile(String safetensors, String vbenchFolder, String vbenchName) {
    /** The file to load, or null when none of the accepted names is there. */
    Path find(Path dir) {
      if (dir == null) {
        return null;
      }
      for (Path p : List.of(dir.resolve(safetensors), dir.resolve(vbenchName), dir.resolve(vbenchFolder).resolve(vbenchName))) {
        if (Files.isRegularFile(p)) {
          return p;
        }
      }
      return null;
    }

    String expected(Path dir) {
      return dir.resolve(safetensors) + ", or VBench's " + vbenchName + " there or in " + vbenchFolder + "/";
    }
  }

  public static final WeightFile DINO_FILE = new WeightFile(DINO, "dino_model", "dino_vitbase16_pretrain.pth");
  public static final WeightFile CLIP_B32_FILE = new WeightFile(CLIP_B32, "clip_model", "ViT-B-32.pt");
  public static final WeightFile CLIP_L14_FILE = new WeightFile(CLIP_L14, "clip_model", "ViT-L-14.pt");
  public static final WeightFile AESTHETIC_FILE = new WeightFile(AESTHETIC_HEAD, "aesthetic_model/emb_reader",
      "sa_0_4_vit_l_14_linear.pth");

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
    Path dino = DINO_FILE.find(weightsDir);
    if (dino != null) {
      m.metrics.add(new EmbeddingConsistency("subject_consistency", m.keep(VitImageEncoder.dino("dino_vitb16", dino, device))));
    } else {
      m.metrics.add(missing("subject_consistency", "dino_vitb16", weightsDir, DINO_FILE));
    }
    Path clipB = CLIP_B32_FILE.find(weightsDir);
    ImageEncoder clipImages = null;
    if (clipB != null) {
      clipImages = m.keep(VitImageEncoder.clip("clip_vitb32", clipB, device));
      m.metrics.add(new EmbeddingConsistency("background_consistency", clipImages));
    } else {
      m.metrics.add(missing("background_consistency", "clip_vitb32", weightsDir, CLIP_B32_FILE));
    }
    Path clipL = CLIP_L14_FILE.find(weightsDir);
    Path head = AESTHETIC_FILE.find(weightsDir);
    if (clipL != null && head != null) {
      float[][] wb = readHead(head);
      m.metrics.add(new AestheticQuality(m.keep(VitImageEncoder.clip("clip_vitl14", clipL, device)), wb[0], wb[1][0]));
    } else {
      m.metrics.add(missing("aesthetic_quality", "clip_vitl14+laion_aesthetic_linear", weightsDir,
          clipL == null ? CLIP_L14_FILE : AESTHETIC_FILE));
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
    } else if (clipB == null) {
      m.metrics.add(missing(TextVideoAlignment.NAME, "clip_vitb32", weightsDir, CLIP_B32_FILE));
    } else {
      m.metrics.add(new UnportedModelMetric(TextVideoAlignment.NAME, "clip_vitb32",
          "no weights (expected " + weightsDir.resolve(CLIP_TOKENIZER) + ")"));
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

  private static VideoMetric missing(String name, String model, Path dir, WeightFile file) {
    String where = dir == null ? "no weights directory configured" : "expected " + file.expected(dir);
    return new UnportedModelMetric(name, model, "no weights (" + where + ")");
  }

  private static float[][] readHead(Path file) {
    try (TensorSource f = TensorSource.open(file)) {
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
