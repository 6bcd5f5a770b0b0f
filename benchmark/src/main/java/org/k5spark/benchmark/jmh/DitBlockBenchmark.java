package org.k5spark.benchmark.jmh;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.concurrent.TimeUnit;
import org.k5spark.core.dit.attention.AttentionBackend;
import org.k5spark.core.engine.TorchRuntime;
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
 * One visual transformer block (modulated self-attention with 3-D RoPE, cross-attention, feed-forward) at the
 * mid shape: a forward of a DiT with one visual block and no text blocks. The embeddings and the out layer
 * ride along (a few per cent of that forward's FLOPs by {@code DitFlops}); the blocks themselves are package-private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DitBlockBenchmark {
  @Param({"sdpa", "chunked-auto"})
  public String backend;

  private NDManager manager;
  private DitFixture fixture;
  private NDArray x;

  @Setup(Level.Trial)
  public void setUp() {
    manager = TorchRuntime.newManager(Device.cpu());
    fixture = DitFixture.create("mid", DitFixture.params("mid", 0, 1), manager, AttentionBenchmark.backend(backend));
    x = fixture.visualInput(manager);
  }

  @Benchmark
  public void visualBlock(Blackhole bh) {
    try (NDManager call = manager.newSubManager()) {
      NDArray in = x.duplicate();
      in.attach(call);
      bh.consume(fixture.dit.forward(fixture.inputs(in, call), null));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    fixture.close();
    manager.close();
  }
}
