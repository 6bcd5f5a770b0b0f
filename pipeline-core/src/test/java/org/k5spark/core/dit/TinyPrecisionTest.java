package org.k5spark.core.dit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.config.DitParams;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.dit.attention.AttentionBackend;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.sampler.Conditioning;
import org.k5spark.core.sampler.FlowMatchingSampler;
import org.k5spark.core.sampler.InitialNoise;
import org.k5spark.core.sampler.LatentGeometry;
import org.k5spark.core.sampler.StepListener;
import org.k5spark.core.tiny.TinyCheckpoint;
import org.k5spark.core.weights.TensorSource;

/** The FLOAT16 DiT path (the GPU's) on the tiny checkpoint, run on the CPU: whole sampler vs float32. */
class TinyPrecisionTest {
  @TempDir Path root;

  @Test
  void fp16SamplerWithinTwoPercentOfFp32() {
    ModelConfig tiny = ModelConfig.embedded("tiny");
    Path ckpt = TinyCheckpoint.writeDit(tiny, root);
    DitParams p = tiny.ditParams();
    Shape latent = LatentGeometry.latentShape(tiny, 64, 64, 1);
    float[][] out = new float[2][];
    DataType[] types = {DataType.FLOAT32, DataType.FLOAT16};
    for (int k = 0; k < 2; k++) {
      try (NDManager m = TorchRuntime.newManager(Device.cpu()); TensorSource src = TensorSource.open(ckpt);
          DiffusionTransformer3D dit = DiffusionTransformer3D.load(p, tiny.attention(), src, m, types[k],
              AttentionBackend.named("sdpa"))) {
        DataType t = types[k];
        Conditioning cond = new Conditioning(InitialNoise.gaussian(1, new Shape(11, p.inTextDim()), m).toType(t, false),
            InitialNoise.gaussian(2, new Shape(1, p.inTextDim2()), m).toType(t, false), m.arange(0, 11, 1, DataType.INT64));
        Conditioning uncond = new Conditioning(InitialNoise.gaussian(3, new Shape(4, p.inTextDim()), m).toType(t, false),
            InitialNoise.gaussian(4, new Shape(1, p.inTextDim2()), m).toType(t, false), m.arange(0, 4, 1, DataType.INT64));
        var settings = new FlowMatchingSampler.Settings(tiny.numSteps(), tiny.guidanceWeight(),
            tiny.metrics().schedulerScale(), tiny.metrics().scaleFactor());
        NDArray x = new FlowMatchingSampler(dit).sample(InitialNoise.gaussian(6554, latent, m), cond, uncond, settings,
            StepListener.NONE, null);
        out[k] = x.toType(DataType.FLOAT32, false).toFloatArray();
      }
    }
    double num = 0;
    double den = 0;
    for (int i = 0; i < out[0].length; i++) {
      num += (out[1][i] - out[0][i]) * (double) (out[1][i] - out[0][i]);
      den += out[0][i] * (double) out[0][i];
    }
    double rel = Math.sqrt(num / den);
    System.out.printf("tiny sampler fp16 vs fp32: rel_l2 = %.3e%n", rel);
    assertTrue(rel > 0 && rel <= 2e-2, "rel L2 " + rel);
  }
}
