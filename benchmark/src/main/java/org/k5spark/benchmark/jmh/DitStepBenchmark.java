package org.k5spark.benchmark.jmh;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.concurrent.TimeUnit;
import org.k5spark.core.dit.attention.AttentionBackend;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.sampler.FlowMatchingSampler;
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
 * One full denoising step of the flow-matching sampler with classifier-free guidance (two DiT forwards, the
 * guidance mix and the Euler update), float32 on CPU, sdpa attention, for the {@link DitFixture} shapes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DitStepBenchmark {
  @Param({"tiny", "mid"})
  public String shape;

  private NDManager manager;
  private DitFixture fixture;
  private FlowMatchingSampler sampler;
  private FlowMatchingSampler.Settings settings;

  @Setup(Level.Trial)
  public void setUp() {
    manager = TorchRuntime.newManager(Device.cpu());
    fixture = DitFixture.create(shape, DitFixture.params(shape, -1, -1), manager, AttentionBackend.named("sdpa"));
    settings = new FlowMatchingSampler.Settings(1, 5.0, 5.0, fixture.scaleFactor);
    sampler = new FlowMatchingSampler(fixture.dit);
  }

  @Benchmark
  public void guidedStep(Blackhole bh) {
    try (NDManager call = manager.newSubManager()) {
      fixture.noise.tempAttach(call);
      bh.consume(sampler.sample(fixture.noise, fixture.cond, fixture.uncond, settings, (i, t, x, v) -> { }, null));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    fixture.close();
    manager.close();
  }
}
