package org.k5spark.jobs.nightly;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.k5spark.core.weights.SafetensorsFile;
import org.k5spark.core.weights.SafetensorsWriter;
import org.k5spark.core.weights.TensorInfo;

/** Test checkpoints: copies of a weights root, optionally with one DiT tensor perturbed. */
final class Checkpoints {
  static final String DIT = "model/kandinsky5lite_t2v_tiny.safetensors";

  private Checkpoints() {}

  static void copy(Path src, Path dst) throws IOException {
    try (Stream<Path> s = Files.walk(src)) {
      for (Path p : s.toList()) {
        Path t = dst.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }

  /** A copy of {@code src} whose DiT tensor {@code key} is mapped value by value through {@code f}. */
  static void perturbed(Path src, Path dst, String key, java.util.function.DoubleUnaryOperator map) throws IOException {
    copy(src, dst);
    Path dit = dst.resolve(DIT);
    SafetensorsWriter w = new SafetensorsWriter();
    boolean found = false;
    try (SafetensorsFile f = SafetensorsFile.open(src.resolve(DIT))) {
      for (String k : f.keys()) {
        TensorInfo t = f.info(k);
        switch (t.dtype()) {
          case BF16, F32 -> {
            float[] v = f.floats(k);
            if (k.equals(key)) {
              found = true;
              for (int i = 0; i < v.length; i++) {
                v[i] = (float) map.applyAsDouble(v[i]);
              }
            }
            if (t.dtype() == org.k5spark.core.weights.Dtype.BF16) {
              w.putBf16(k, t.shape(), v);
            } else {
              w.putFloats(k, t.shape(), v);
            }
          }
          default -> {
            ByteBuffer b = f.raw(k);
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            w.put(k, t.dtype(), t.shape(), bytes);
          }
        }
      }
    }
    if (!found) {
      throw new IllegalArgumentException("no tensor " + key + " in " + src.resolve(DIT));
    }
    Files.delete(dit);
    w.write(dit);
  }
}
