package org.k5spark.benchmark.jmh;

import java.util.concurrent.TimeUnit;
import java.io.ByteArrayOutputStream;
import org.k5spark.benchmark.video.SyntheticClip;
import org.k5spark.core.video.Mp4Writer;
import org.k5spark.core.video.VideoFrames;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * H.264 MP4 encode of a noisy synthetic clip with the pipeline's {@link Mp4Writer} (libx264, CRF 18, preset
 * medium), as the fragmented MP4 it streams to object storage, here into memory. One op = {@link #FRAMES} frames, so frames/s = FRAMES / (ms/op) * 1000.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class Mp4EncodeBenchmark {
  public static final int FRAMES = 24;

  /** height x width: the tiny model's 64x64 and the Lite model's 512x768. */
  @Param({"64x64", "512x768"})
  public String size;

  private VideoFrames clip;
  private Mp4Writer writer;

  @Setup(Level.Trial)
  public void setUp() {
    String[] hw = size.split("x");
    clip = SyntheticClip.of(FRAMES, Integer.parseInt(hw[0]), Integer.parseInt(hw[1]), 24);
    writer = new Mp4Writer();
  }

  @Benchmark
  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
    writer.write(clip, out, "benchmark clip");
    return out.toByteArray();
  }
}
