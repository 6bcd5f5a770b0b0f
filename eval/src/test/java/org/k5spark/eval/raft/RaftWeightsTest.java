package org.k5spark.eval.raft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.weights.SafetensorsWriter;
import org.k5spark.core.weights.WeightFileException;

class RaftWeightsTest {
  @TempDir
  Path tmp;

  @Test
  void layoutHasTheRealParameterCount() {
    long params = 0;
    for (var e : RaftLayout.shapes().entrySet()) {
      if (!e.getKey().contains("running_")) {
        params += RaftRandomWeights.count(e.getValue());
      }
    }
    // torch: sum(p.numel() for p in RAFT(small=False).parameters()), as gen_raft.py records in config.params
    assertEquals(5_257_536L, params);
  }

  /** Values printed by gen_raft.py's numpy recipe (hash_uniform / recipe_weights, seed 1, gain 0.4). */
  @Test
  void recipeMatchesTheGeneratorBitForBit() {
    assertArrayEquals(new float[] {-0.6391621828079224f, 0.9699894189834595f, 0.3691227436065674f},
        RaftRandomWeights.uniform("module.fnet.conv1.weight", 3, 1));
    Map<String, float[]> w = RaftRandomWeights.build(1, 0.4);
    assertEquals(-0.051652103662490845f, w.get("fnet.conv1.weight")[0]);
    assertEquals(0.07838697731494904f, w.get("fnet.conv1.weight")[1]);
    assertEquals(2.192712685103288, sum(w.get("fnet.conv1.weight")), 1e-9);
    assertEquals(0.59111487865448f, w.get("cnet.layer2.0.downsample.1.running_var")[0]);
    assertEquals(96.71729111671448, sum(w.get("cnet.layer2.0.downsample.1.running_var")), 1e-9);
    assertEquals(0.057070039212703705f, w.get("update_block.mask.2.bias")[0]);
  }

  @Test
  void loadsADataParallelCheckpointAndIgnoresTheAliasedNorms() throws Exception {
    Path file = tmp.resolve("raft-things.safetensors");
    SafetensorsWriter out = new SafetensorsWriter();
    RaftRandomWeights.build(3, 1.0).forEach((k, v) -> out.putFloats("module." + k, RaftLayout.shapes().get(k), v));
    // what the real raft-things.pth also holds: norm3 aliases of downsample.1, num_batches_tracked
    out.putFloats("module.cnet.layer2.0.norm3.weight", new long[] {96}, new float[96]);
    out.putLongs("module.cnet.norm1.num_batches_tracked", new long[0], new long[] {0});
    out.write(file);
    try (NDManager m = TorchRuntime.newManager(Device.cpu())) {
      RaftWeights w = RaftWeights.load(file, m);
      assertEquals(RaftLayout.shapes().keySet(), w.byName().keySet());
      assertArrayEquals(RaftRandomWeights.build(3, 1.0).get("update_block.gru.convq2.weight"),
          w.get("update_block.gru.convq2.weight").toFloatArray());
    }
  }

  @Test
  void aMissingKeyIsOneLineNamingFileAndKey() throws Exception {
    Path file = tmp.resolve("raft-things.safetensors");
    SafetensorsWriter out = new SafetensorsWriter();
    RaftRandomWeights.build(3, 1.0).forEach((k, v) -> {
      if (!k.equals("update_block.mask.2.bias")) {
        out.putFloats("module." + k, RaftLayout.shapes().get(k), v);
      }
    });
    out.write(file);
    try (NDManager m = TorchRuntime.newManager(Device.cpu())) {
      WeightFileException e = assertThrows(WeightFileException.class, () -> RaftWeights.load(file, m));
      assertEquals(file + ": checkpoint does not match the model; missing 1 key(s): [module.update_block.mask.2.bias]"
          + " (e.g. 'module.update_block.mask.2.bias' expected shape [576])", e.getMessage());
    }
  }

  private static double sum(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x;
    }
    return s;
  }
}
