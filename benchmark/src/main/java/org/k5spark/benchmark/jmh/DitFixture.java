package org.k5spark.benchmark.jmh;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.k5spark.core.config.AttentionConfig;
import org.k5spark.core.config.DitParams;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.dit.DiffusionTransformer3D;
import org.k5spark.core.dit.attention.AttentionBackend;
import org.k5spark.core.sampler.Conditioning;
import org.k5spark.core.sampler.LatentGeometry;
import org.k5spark.core.tiny.TinyCheckpoint;
import org.k5spark.core.weights.TensorSource;

/**
 * A DiT with random weights (written in the released layout by {@link TinyCheckpoint#ditWriter}, loaded
 * through the normal strict loader) plus inputs of a given latent and text length.
 *
 * <p>Shapes: {@code tiny} = configs/model/tiny.yaml at its default 64x64, 1 s (7 x 8 x 8 latent, 112 tokens);
 * {@code mid} = model_dim 512 / ff 1536 / 8 heads of 64, 1 text + 2 visual blocks, text dims 256/128, on a
 * 8 x 16 x 24 latent (768 visual tokens) with 128 text tokens: big enough that the matmuls dominate, small
 * enough for a 2-core CPU.
 */
public final class DitFixture implements AutoCloseable {
  public final DitParams params;
  public final DiffusionTransformer3D dit;
  public final long[] latentThw;
  public final int textTokens;
  public final NDArray noise;
  public final Conditioning cond;
  public final Conditioning uncond;
  public final float[] scaleFactor;

  private DitFixture(DitParams params, DiffusionTransformer3D dit, long[] latentThw, int textTokens, NDManager m,
      float[] scaleFactor) {
    this.params = params;
    this.dit = dit;
    this.latentThw = latentThw;
    this.textTokens = textTokens;
    this.scaleFactor = scaleFactor;
    this.noise = m.randomNormal(new Shape(latentThw[0], latentThw[1], latentThw[2], params.inVisualDim()));
    this.cond = conditioning(m, params, textTokens);
    this.uncond = conditioning(m, params, textTokens);
  }

  /** Parameters of a named shape with {@code textBlocks}/{@code visualBlocks} overriding the mid default (-1 = keep). */
  public static DitParams params(String shape, int textBlocks, int visualBlocks) {
    DitParams p = switch (shape) {
      case "tiny" -> ModelConfig.embedded("tiny").ditParams();
      case "mid" -> new DitParams(16, 16, 256, new int[] {1, 2, 2}, 512, 1536, 1, 2, new int[] {16, 24, 24}, true,
          256, 128);
      default -> throw new IllegalArgumentException("unknown DiT shape '" + shape + "' (tiny or mid)");
    };
    return new DitParams(p.inVisualDim(), p.outVisualDim(), p.timeDim(), p.patchSize(), p.modelDim(), p.ffDim(),
        textBlocks < 0 ? p.numTextBlocks() : textBlocks, visualBlocks < 0 ? p.numVisualBlocks() : visualBlocks,
        p.axesDims(), p.visualCond(), p.inTextDim(), p.inTextDim2());
  }

  public static long[] latent(String shape) {
    if (shape.equals("tiny")) {
      ModelConfig cfg = ModelConfig.embedded("tiny");
      Shape s = LatentGeometry.latentShape(cfg, 64, 64, cfg.defaultSeconds());
      return new long[] {s.get(0), s.get(1), s.get(2)};
    }
    return new long[] {8, 16, 24};
  }

  public static int textTokens(String shape) {
    return shape.equals("tiny") ? 32 : 128;
  }

  public static DitFixture create(String shape, DitParams params, NDManager m, AttentionBackend backend) {
    try {
      Path dir = Files.createTempDirectory("k5-bench-dit");
      Path file = dir.resolve("dit.safetensors");
      TinyCheckpoint.ditWriter(params, 1234).write(file);
      DiffusionTransformer3D dit;
      try (TensorSource src = TensorSource.open(file)) {
        dit = DiffusionTransformer3D.load(params, AttentionConfig.DENSE, src, m, DataType.FLOAT32, backend);
      }
      Files.delete(file);
      Files.delete(dir);
      float[] sf = shape.equals("tiny") ? ModelConfig.embedded("tiny").metrics().scaleFactor() : new float[] {1, 2, 2};
      return new DitFixture(params, dit, latent(shape), textTokens(shape), m, sf);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Conditioning conditioning(NDManager m, DitParams p, int textTokens) {
    return new Conditioning(m.randomNormal(new Shape(textTokens, p.inTextDim())),
        m.randomNormal(new Shape(1, p.inTextDim2())), m.arange(0, textTokens, 1, DataType.INT64));
  }

  /** One forward's inputs on {@code x} (T, H, W, visual_embed_dim) at timestep 500. */
  public DiffusionTransformer3D.Inputs inputs(NDArray x, NDManager m) {
    int[] ps = params.patchSize();
    NDArray[] pos = new NDArray[3];
    for (int i = 0; i < 3; i++) {
      pos[i] = m.arange(0, (int) (latentThw[i] / ps[i]), 1, DataType.INT64);
    }
    return new DiffusionTransformer3D.Inputs(x, cond.textEmbed(), cond.pooledEmbed(),
        m.create(new float[] {500f}, new Shape(1)), pos, cond.ropePos(), scaleFactor);
  }

  /** The DiT input for T2V: noise plus the zero visual condition and mask channels. */
  public NDArray visualInput(NDManager m) {
    NDArray x = m.zeros(new Shape(latentThw[0], latentThw[1], latentThw[2], params.visualEmbedDim()));
    x.set(new ai.djl.ndarray.index.NDIndex("..., 0:" + params.inVisualDim()), noise);
    return x;
  }

  @Override
  public void close() {
    dit.close();
  }
}
