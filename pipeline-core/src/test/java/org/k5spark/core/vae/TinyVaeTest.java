package org.k5spark.core.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.video.VideoFrames;
import org.k5spark.core.weights.SafetensorsFile;
import org.k5spark.core.weights.SafetensorsWriter;
import org.k5spark.core.weights.WeightFileException;
import org.k5spark.core.testing.CpuManager;

class TinyVaeTest {
  @RegisterExtension
  static final CpuManager cpu = new CpuManager();
  @TempDir Path tmp;

  @Test
  void layoutMatchesTheReleasedFileOfAGoldenCase() throws Exception {
    Path vae = VaeGoldenTest.caseDir("decode_small").resolve("vae");
    VaeConfig cfg = VaeConfig.read(vae.resolve("config.json"));
    Map<String, long[]> expected = new HashMap<>(VaeLayout.encoder(cfg));
    expected.putAll(VaeLayout.decoder(cfg));
    try (SafetensorsFile f = SafetensorsFile.open(vae.resolve(VaeWeights.WEIGHTS_FILE))) {
      assertEquals(expected.keySet(), f.keys());
      for (String k : f.keys()) {
        assertArrayEquals(expected.get(k), f.info(k).shape(), k);
      }
    }
  }

  @Test
  void writesDeterministicallyAndRoundTrips() throws Exception {
    Path a = tmp.resolve("a/vae");
    Path b = tmp.resolve("b/vae");
    Path c = tmp.resolve("c/vae");
    TinyVae.write(a, 7);
    TinyVae.write(b, 7);
    TinyVae.write(c, 8);
    byte[] fa = Files.readAllBytes(a.resolve(VaeWeights.WEIGHTS_FILE));
    assertArrayEquals(fa, Files.readAllBytes(b.resolve(VaeWeights.WEIGHTS_FILE)));
    assertFalse(java.util.Arrays.equals(fa, Files.readAllBytes(c.resolve(VaeWeights.WEIGHTS_FILE))));
    VaeConfig back = VaeConfig.read(a.resolve("config.json"));
    assertArrayEquals(TinyVae.CONFIG.blockOutChannels(), back.blockOutChannels());
    assertEquals(TinyVae.CONFIG.scalingFactor(), back.scalingFactor());
    assertEquals(16, back.latentChannels());
    try (SafetensorsFile f = SafetensorsFile.open(a.resolve(VaeWeights.WEIGHTS_FILE))) {
      assertTrue(f.keys().contains("encoder.conv_in.conv.weight"), "encoder keys present as in the real file");
      assertTrue(f.keys().contains("quant_conv.weight"));
    }
  }

  @Test
  void decodesToTheReferenceFrameMath() {
    Path dir = tmp.resolve("vae");
    TinyVae.write(dir, 1);
    try (NDManager w = cpu.get().newSubManager()) {
      HunyuanVae vae = HunyuanVae.load(dir, w);
      NDArray latent = w.randomNormal(0, 1, new Shape(3, 2, 3, 16), DataType.FLOAT32);
      NDArray video = vae.decode(latent, VaeTiling.AUTO);
      assertEquals(new Shape(1, 3, 9, 16, 24), video.getShape()); // F = 4(T-1)+1, 8H x 8W
      NDArray u8 = HunyuanVae.toUint8(video);
      VideoFrames frames = HunyuanVae.toFrames(u8);
      assertEquals(9, frames.frames());
      assertEquals(16, frames.height());
      assertEquals(24, frames.width());
      assertEquals(24.0, frames.fps());
      // the frame math on hand-made values (reference: ((x.clamp(-1, 1) + 1) * 127.5).to(uint8), truncating):
      // -2,-1 -> 0; -0.5 -> 63.75 -> 63; 0 -> 127; 0.3 -> 165.75 -> 165; 1, 3 -> 255; 0.999 -> 254.87 -> 254;
      // 0.5 -> 191; -0.25 -> 95; 0.75 -> 223; -0.9 -> 12.75 -> 12. Layout (1, 3, F=2, H=1, W=4) -> (F, H, W, 3)
      NDArray hand = w.create(new float[] {
          -2, -1, -0.5f, 0, 0.3f, 1, 3, 0.999f, // channel 0: frame 0, frame 1
          0.5f, -0.25f, 0.75f, -0.9f, 0, 0, 0, 0, // channel 1
          1, 1, 1, 1, -1, -1, -1, -1}, new Shape(1, 3, 2, 1, 4)); // channel 2
      VideoFrames handFrames = HunyuanVae.toFrames(HunyuanVae.toUint8(hand));
      assertArrayEquals(new byte[] {
          0, (byte) 191, (byte) 255, 0, 95, (byte) 255, 63, (byte) 223, (byte) 255, 127, 12, (byte) 255,
          (byte) 165, 127, 0, (byte) 255, 127, 0, (byte) 255, 127, 0, (byte) 254, 127, 0}, handFrames.rgb());
      assertEquals(new Shape(1, 3, 2, 1, 4), new Shape(1, 3, handFrames.frames(), handFrames.height(),
          handFrames.width()));
      // tiling off decodes the same small clip identically (one tile covers it)
      NDArray off = vae.decode(latent, VaeTiling.OFF);
      assertEquals(0.0, off.sub(video).abs().max().getFloat(), 0.0);
    }
  }

  @Test
  void applyTilingOnlyWhenTheTileChanges() {
    Path dir = tmp.resolve("vae");
    TinyVae.write(dir, 2);
    try (NDManager w = cpu.get().newSubManager()) {
      HunyuanVae vae = HunyuanVae.load(dir, w);
      NDArray latent = w.randomNormal(0, 1, new Shape(2, 2, 4, 16), DataType.FLOAT32);
      TilingPlan first = new TilingPlan(9, 16, 16, 4, 8, 8);
      TilingPlan sameTile = new TilingPlan(9, 16, 16, 8, 16, 16);
      NDArray a = vae.decode(latent, VaeTiling.forced(first));
      assertEquals(first, vae.appliedTiling());
      NDArray b = vae.decode(latent, VaeTiling.forced(sameTile));
      assertEquals(first, vae.appliedTiling(), "stride is not compared: the first stride stays");
      assertEquals(0.0, a.sub(b).abs().max().getFloat(), 0.0);
      // a fresh instance applies the second plan and decodes differently
      HunyuanVae fresh = HunyuanVae.load(dir, w);
      NDArray c = fresh.decode(latent, VaeTiling.forced(sameTile));
      assertEquals(sameTile, fresh.appliedTiling());
      assertEquals(new Shape(1, 3, 5, 16, 32), c.getShape());
      // known answer for that plan: stride = tile (16 px = 2 latent columns), so no overlap and nothing to blend;
      // the width 4 latent is two tiles decoded on their own (the untiled path, VaeGoldenTest) side by side
      NDArray left = vae.decode(latent.get(":, :, 0:2, :"), VaeTiling.OFF);
      NDArray right = vae.decode(latent.get(":, :, 2:4, :"), VaeTiling.OFF);
      NDArray sideBySide = ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(left, right), 4);
      assertEquals(0.0, c.sub(sideBySide).abs().max().getFloat(), 1e-6);
      // and the first plan (8 px overlap, blended) is really another result, not float noise
      assertTrue(a.sub(c).abs().max().getFloat() > 1e-3, "overlapping tiles blend differently");
    }
  }

  @Test
  void strictKeysRejectMissingUnexpectedAndMisshapedTensors() throws Exception {
    Path good = tmp.resolve("good");
    TinyVae.write(good, 3);
    String victim = "decoder.up_blocks.1.resnets.0.conv1.conv.weight";

    Path missing = rewrite(good, tmp.resolve("missing"), victim, null, null);
    var e1 = assertThrows(WeightFileException.class, () -> load(missing));
    assertTrue(e1.getMessage().contains("missing 1") && e1.getMessage().contains(victim), e1.getMessage());

    Path extra = rewrite(good, tmp.resolve("extra"), null, "decoder.extra.weight", new long[] {4});
    var e2 = assertThrows(WeightFileException.class, () -> load(extra));
    assertTrue(e2.getMessage().contains("unexpected 1") && e2.getMessage().contains("decoder.extra.weight"),
        e2.getMessage());

    Path shaped = rewrite(good, tmp.resolve("shaped"), victim, victim, new long[] {16, 16, 3, 3, 1});
    var e3 = assertThrows(WeightFileException.class, () -> load(shaped));
    assertTrue(e3.getMessage().contains(victim) && e3.getMessage().contains("[16, 16, 3, 3, 3]"), e3.getMessage());

    // encoder keys are in the file and ignored; without them the decoder still loads
    Path noEncoder = tmp.resolve("noenc");
    Files.createDirectories(noEncoder);
    Files.copy(good.resolve("config.json"), noEncoder.resolve("config.json"));
    try (SafetensorsFile f = SafetensorsFile.open(good.resolve(VaeWeights.WEIGHTS_FILE))) {
      SafetensorsWriter wr = new SafetensorsWriter();
      for (String k : new java.util.TreeSet<>(f.keys())) {
        if (!VaeLayout.isEncoderKey(k)) {
          wr.putFloats(k, f.info(k).shape(), f.floats(k));
        }
      }
      wr.write(noEncoder.resolve(VaeWeights.WEIGHTS_FILE));
    }
    load(noEncoder);
  }

  private void load(Path dir) {
    try (NDManager w = cpu.get().newSubManager()) {
      HunyuanVae.load(dir, w);
    }
  }

  /** Copies the tiny VAE, dropping {@code drop} and adding {@code add} with {@code shape} (zeros). */
  private static Path rewrite(Path src, Path dst, String drop, String add, long[] shape) throws Exception {
    Files.createDirectories(dst);
    Files.copy(src.resolve("config.json"), dst.resolve("config.json"));
    try (SafetensorsFile f = SafetensorsFile.open(src.resolve(VaeWeights.WEIGHTS_FILE))) {
      SafetensorsWriter wr = new SafetensorsWriter();
      for (String k : new java.util.TreeSet<>(f.keys())) {
        if (!k.equals(drop)) {
          wr.putFloats(k, f.info(k).shape(), f.floats(k));
        }
      }
      if (add != null) {
        long n = 1;
        for (long d : shape) {
          n *= d;
        }
        wr.putFloats(add, shape, new float[(int) n]);
      }
      wr.write(dst.resolve(VaeWeights.WEIGHTS_FILE));
    }
    return dst;
  }
}
