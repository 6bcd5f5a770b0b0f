package org.k5spark.benchmark.jmh;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.weights.SafetensorsWriter;
import org.k5spark.core.weights.TensorSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Loads every tensor of a generated ~200 MB safetensors file into float32 NDArrays (open + header parse +
 * mmap + BF16 widening where stored as BF16), like a checkpoint load. The file sits in /tmp and stays in the
 * page cache after the first read, so this is the parse/convert/copy rate, not disk speed.
 * GB/s = {@link #FILE_MB} / 1000 / (s/op) (benchmark/run-jmh.sh prints it).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SafetensorsLoadBenchmark {
  public static final int FILE_MB = 200;
  /** 1024 x 1024 tensors: the size of a mid-sized projection weight. */
  static final int ROWS = 1024;
  static final int COLS = 1024;

  @Param({"F32", "BF16"})
  public String dtype;

  private Path file;
  private NDManager manager;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    int bytesPerValue = dtype.equals("F32") ? 4 : 2;
    int tensors = (int) ((long) FILE_MB * 1000 * 1000 / ((long) ROWS * COLS * bytesPerValue));
    file = Path.of(System.getProperty("java.io.tmpdir"), "k5-bench-" + dtype + "-" + FILE_MB + "mb.safetensors");
    if (!Files.exists(file)) {
      SafetensorsWriter w = new SafetensorsWriter().metadata("k5spark", "benchmark file");
      float[] values = new float[ROWS * COLS];
      for (int t = 0; t < tensors; t++) {
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) Math.sin(0.001 * i + t);
        }
        long[] shape = {ROWS, COLS};
        if (bytesPerValue == 4) {
          w.putFloats("layer." + t + ".weight", shape, values);
        } else {
          w.putBf16("layer." + t + ".weight", shape, values);
        }
      }
      w.write(file);
    }
    manager = TorchRuntime.newManager(Device.cpu());
  }

  @Benchmark
  public void loadAll(Blackhole bh) {
    try (TensorSource src = TensorSource.open(file); NDManager m = manager.newSubManager()) {
      for (String key : src.keys()) {
        bh.consume(src.load(key, m, DataType.FLOAT32));
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    manager.close();
  }
}
