package org.k5spark.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import org.k5spark.core.cli.ParityCommand;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.golden.GoldenCase;

/** The three public text golden cases through the same runner as {@code k5 parity}. */
class TextGoldenTest {
  static Path caseDir(String name) throws URISyntaxException {
    return Path.of(TextGoldenTest.class.getResource("/golden/text/" + name + "/case.json").toURI()).getParent();
  }

  /** Per-layer hidden states (the public trace) match too, not only the final output. */
  @ParameterizedTest
  @ValueSource(strings = {"qwen_encode_small", "clip_encode_small"})
  void traceMatchesLayerByLayer(String name) throws Exception {
    try (GoldenCase c = GoldenCase.open(caseDir(name));
        NDManager m = TorchRuntime.newManager(Device.cpu())) {
      NDArray ids = c.input("input_ids", m);
      List<NDArray> trace = new ArrayList<>();
      if (name.startsWith("qwen")) {
        try (Qwen25VlTextEncoder q = Qwen25VlTextEncoder.load(c.weightsPath(), Device.cpu(), DataType.FLOAT32, false)) {
          q.forward(ids, null, trace);
        }
      } else {
        try (ClipTextEncoder clip = ClipTextEncoder.load(c.weightsPath(), Device.cpu(), DataType.FLOAT32)) {
          clip.encode(ids, c.input("attention_mask", m), trace);
        }
      }
      assertEquals(c.trace().size(), trace.size());
      for (int i = 0; i < trace.size(); i++) {
        NDArray expected = c.tensor(c.trace().get("hidden_states." + i), m);
        double diff = expected.sub(trace.get(i)).abs().max().getFloat();
        double scale = expected.abs().max().getFloat();
        double tol = layerTolerance(i, scale);
        assertTrue(diff <= tol, name + " hidden_states." + i + " max_abs " + diff + " > " + tol);
      }
    }
  }

  /**
   * Tolerance for trace entry {@code layer} whose values reach {@code scale}: entry 0 is the embedding (a table
   * lookup, plus for CLIP one fp32 add of the position table) and must match to one fp32 ulp of its magnitude;
   * each later entry adds one transformer block, whose fp32 matmul/softmax/norm rounding (eps 1.2e-7, sums over
   * <= 256 terms, so ~16 eps per block relative to the layer's magnitude) accumulates, hence 2e-6 * layer * scale.
   */
  static double layerTolerance(int layer, double scale) {
    return layer == 0 ? Math.ulp((float) scale) : 2e-6 * layer * Math.max(1.0, scale);
  }

  @ParameterizedTest
  @ValueSource(strings = {"qwen_encode_small", "qwen_embed_video", "clip_encode_small"})
  void goldenCasePasses(String name) throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int rc = ParityCommand.run(caseDir(name), 3, "cpu", new PrintStream(buf, true, StandardCharsets.UTF_8));
    String report = buf.toString(StandardCharsets.UTF_8);
    System.out.println(name + ":\n" + report);
    assertEquals(0, rc, report);
    assertTrue(report.contains("PASS"), report);
  }
}
