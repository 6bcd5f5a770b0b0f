package org.k5spark.benchmark.jmh;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.vae.HunyuanVae;
import org.k5spark.core.vae.TinyVae;
import org.k5spark.core.vae.VaeConfig;
import org.k5spark.core.vae.VaeTiling;
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
 * Decode of one VAE tile, untiled: 17 frames of 160x160 pixels (a 5 x 20 x 20 latent), the smallest tile of
 * the reference's tiling table (a 5 s 768x512 video uses 17-frame 288x416 tiles, 3.7x the pixels: 19 s per
 * tile here at width 8, too slow for the suite), through the real HunyuanVideo decoder architecture at reduced
 * channel width ({@code width} per level instead of 128/256/512/512; the full model is far beyond a 2-core
 * CPU's budget). float32, CPU. The full-video tiled/untiled comparison with peak RSS is VaeDecodeBenchmark.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class VaeDecodeTileBenchmark {
  @Param({"8"})
  public int width;

  @Param({"5x20x20"})
  public String latent;

  private NDManager manager;
  private HunyuanVae vae;
  private NDArray z;
  private Path dir;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("k5-bench-vae-tile");
    VaeConfig cfg = new VaeConfig(3, 3, 16, new int[] {width, width, width, width}, 1, 4, "silu", 0.476986, 8, 4,
        true, "benchmark");
    TinyVae.write(dir, cfg, 42);
    manager = TorchRuntime.newManager(Device.cpu());
    vae = HunyuanVae.load(dir, manager);
    String[] thw = latent.split("x");
    z = manager.randomUniform(-1, 1, new Shape(Long.parseLong(thw[0]), Long.parseLong(thw[1]),
        Long.parseLong(thw[2]), 16));
  }

  @Benchmark
  public void decodeTile(Blackhole bh) {
    try (NDManager call = manager.newSubManager()) {
      NDArray video = vae.decode(z, VaeTiling.OFF);
      video.attach(call);
      bh.consume(video);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    manager.close();
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
