package org.k5spark.benchmark.jmh;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.TimeUnit;
import org.k5spark.core.dit.attention.AttentionBackend;
import org.k5spark.core.dit.attention.ChunkedAttention;
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
 * Self-attention of the DiT's visual tokens, (L, 4 heads, 64) float32, per backend: {@code sdpa} (libtorch's
 * fused kernel) and {@code chunked-N} (N query rows per chunk; {@code chunked-auto}, the production default,
 * bounds the score block at 16 Mi elements, i.e. 1024 rows at L = 4096 and one chunk at L = 1024).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class AttentionBenchmark {
  @Param({"1024", "4096"})
  public int seqLen;

  @Param({"sdpa", "chunked-128", "chunked-512", "chunked-2048"})
  public String backend;

  static final int HEADS = 4;
  static final int HEAD_DIM = 64;

  private NDManager manager;
  private NDArray q;
  private NDArray k;
  private NDArray v;
  private AttentionBackend attention;

  @Setup(Level.Trial)
  public void setUp() {
    manager = TorchRuntime.newManager(Device.cpu());
    Shape s = new Shape(seqLen, HEADS, HEAD_DIM);
    q = manager.randomNormal(s);
    k = manager.randomNormal(s);
    v = manager.randomNormal(s);
    attention = backend(backend);
  }

  static AttentionBackend backend(String name) {
    if (name.startsWith("chunked-")) {
      String rows = name.substring("chunked-".length());
      return new ChunkedAttention(rows.equals("auto") ? 0 : Long.parseLong(rows));
    }
    return AttentionBackend.named(name);
  }

  @Benchmark
  public void attend(Blackhole bh) {
    // results attach to q's manager: give q, k, v to a per-call sub-manager so the output is freed each call
    try (NDManager call = manager.newSubManager()) {
      q.tempAttach(call);
      k.tempAttach(call);
      v.tempAttach(call);
      bh.consume(attention.attend(q, k, v, null));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    manager.close();
  }
}
