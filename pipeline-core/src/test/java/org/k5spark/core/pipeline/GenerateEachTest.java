package org.k5spark.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.testing.SafetensorsPatch;
import org.k5spark.core.tiny.TinyCheckpoint;
import org.k5spark.core.weights.WeightFileException;

/**
 * A batch as the executor runs it: one failing request fails alone, the others give the same bytes as when
 * generated alone, the text encoders are placed once; poisoned weights never give a video.
 */
class GenerateEachTest {
  @TempDir Path root;

  @Test
  void aFailingRequestFailsAloneAndTheOthersEqualGeneratingAlone() {
    ModelConfig cfg = TinyCheckpoint.writeAll(root);
    try (Kandinsky5Pipeline pipeline = Kandinsky5Pipeline.load(cfg, root, Device.cpu())) {
      VideoRequest a = new VideoRequest("a red fox runs through snow", null, 7, null, null, null, 3, null, false);
      VideoRequest bad = new VideoRequest("a broken request", null, 8, null, null, -1.0, 3, null, false);
      VideoRequest b = new VideoRequest("waves", "blurry, low quality", 9, null, null, null, 3, 4.0, false);
      TextToVideo.BatchResult batch = pipeline.generateEach(List.of(a, bad, b), (k, i) -> { });
      assertEquals(3, batch.results().size());
      assertEquals(1, batch.encoderPlacements(), "the encoders are placed once for the whole batch");
      assertNull(batch.results().get(1).video());
      assertEquals("duration must be >= 0 seconds, got -1.0", batch.results().get(1).error().getMessage());

      TextToVideo.BatchResult aloneA = pipeline.generateEach(List.of(a), (k, i) -> { });
      assertEquals(1, aloneA.encoderPlacements());
      GeneratedVideo alone = aloneA.results().get(0).video();
      assertArrayEquals(alone.frames().rgb(), batch.results().get(0).video().frames().rgb(),
          "a video's bytes do not depend on the batch it came in");
      assertArrayEquals(pipeline.generate(b, i -> { }).frames().rgb(), batch.results().get(2).video().frames().rgb());
    }
  }

  @Test
  void nanOrInfInTheCheckpointIsRefusedAtLoadNamingFileAndTensor() throws IOException {
    ModelConfig cfg = TinyCheckpoint.writeAll(root);
    Path dit = cfg.checkpoint(root);
    String key = "visual_transformer_blocks.0.feed_forward.in_layer.weight";
    SafetensorsPatch.set(dit, key, 5, (short) 0x7FC0); // bf16 NaN
    WeightFileException e = assertThrows(WeightFileException.class, () -> Kandinsky5Pipeline.load(cfg, root, Device.cpu()));
    assertEquals(dit + ": tensor '" + key + "' has 1 non-finite value(s) (NaN or Inf)", e.getMessage());

    SafetensorsPatch.set(dit, key, 5, (short) 0x3F80); // back to 1.0
    SafetensorsPatch.set(dit, "out_layer.out_layer.bias", 0, (short) 0x7F80); // bf16 +Inf
    SafetensorsPatch.set(dit, "out_layer.out_layer.bias", 1, (short) 0xFF80); // bf16 -Inf
    e = assertThrows(WeightFileException.class, () -> Kandinsky5Pipeline.load(cfg, root, Device.cpu()));
    assertEquals(dit + ": tensor 'out_layer.out_layer.bias' has 2 non-finite value(s) (NaN or Inf)", e.getMessage());
  }

  @Test
  void aLatentThatOverflowsStopsTheVideoAtItsStep() throws IOException {
    ModelConfig cfg = TinyCheckpoint.writeAll(root);
    Path dit = cfg.checkpoint(root);
    // finite weights (the largest bf16): the first step's latent is huge but finite, the second DiT call on it
    // overflows float32
    int n = SafetensorsPatch.elements(dit, "out_layer.out_layer.weight");
    for (int i = 0; i < n; i++) {
      SafetensorsPatch.set(dit, "out_layer.out_layer.weight", i, (short) 0x7F7F);
    }
    try (Kandinsky5Pipeline pipeline = Kandinsky5Pipeline.load(cfg, root, Device.cpu())) {
      VideoRequest a = new VideoRequest("a red fox", null, 7, null, null, null, 3, null, false);
      TextToVideo.VideoResult r = pipeline.generateEach(List.of(a), (k, i) -> { }).results().get(0);
      assertNull(r.video(), "never a black 'ok' video");
      assertEquals("non-finite latent at step 2 of 3 (NaN or Inf: check the checkpoint's values and the compute dtype)",
          r.error().getMessage());
    }
  }
}
