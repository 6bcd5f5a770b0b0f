package org.k5spark.core.weights;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TorchCheckpointProbeTest {
  @Test
  void probe() throws Exception {
    Path dir = Path.of(getClass().getResource("/pth/dtypes.pth").toURI()).getParent();
    try (var s = Files.list(dir)) {
      for (Path p : s.sorted().toList()) {
        try (TensorSource src = TensorSource.open(p)) {
          System.out.println("OK " + p.getFileName() + " " + src.keys());
        } catch (WeightFileException e) {
          System.out.println("MSG " + p.getFileName() + " | " + e.getMessage().replace(dir.toString(), "DIR"));
        }
      }
    }
  }
}
