package org.k5spark.core.dit;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.k5spark.core.golden.Comparison;
import org.k5spark.core.golden.GoldenCase;
import org.k5spark.core.golden.PreparedCase;

/** Test helper: the golden DiT cases copied into test resources, and a runner asserting every output. */
final class GoldenCases {
  private GoldenCases() {}

  static Path dir(String name) {
    try {
      return Path.of(GoldenCases.class.getResource("/golden/dit/" + name + "/case.json").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs the case with the given attention backend and asserts every output within its tolerance. */
  static List<Comparison> assertPasses(String name, String backend, NDManager base) {
    String old = System.getProperty("k5.attention");
    System.setProperty("k5.attention", backend);
    try (GoldenCase c = GoldenCase.open(dir(name));
        PreparedCase p = new DitCaseKind().prepare(c, base, Device.cpu());
        NDManager scratch = base.newSubManager()) {
      Map<String, NDArray> out = p.run(scratch);
      List<Comparison> results = new ArrayList<>();
      for (GoldenCase.Ref ref : c.outputs().values()) {
        NDArray a = out.get(ref.name());
        assertNotNull(a, name + ": output " + ref.name() + " not produced");
        Comparison r = Comparison.of(c, ref, a);
        System.out.printf("%s [%s] %s max_abs=%.3e %s%n", name, backend, ref.name(), r.maxAbs(), r.detail());
        assertTrue(r.pass(), name + " [" + backend + "] " + ref.name() + ": " + r.detail() + " max_abs=" + r.maxAbs());
        results.add(r);
      }
      return results;
    } finally {
      if (old == null) {
        System.clearProperty("k5.attention");
      } else {
        System.setProperty("k5.attention", old);
      }
    }
  }
}
