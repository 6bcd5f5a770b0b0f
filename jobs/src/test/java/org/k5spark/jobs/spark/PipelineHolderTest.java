package org.k5spark.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.k5spark.core.pipeline.GeneratedVideo;
import org.k5spark.core.pipeline.ModelIdentity;
import org.k5spark.core.pipeline.TextToVideo;
import org.k5spark.core.pipeline.VideoRequest;

class PipelineHolderTest {
  private final AtomicInteger built = new AtomicInteger();
  private final List<Stub> closed = new ArrayList<>();

  private final class Stub implements TextToVideo {
    @Override
    public GeneratedVideo generate(VideoRequest request, java.util.function.IntConsumer onStep) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ModelIdentity identity() {
      return null;
    }

    @Override
    public void close() {
      synchronized (closed) {
        closed.add(this);
      }
    }
  }

  @AfterEach
  void clear() {
    PipelineHolder.closeAll();
  }

  private Stub build() {
    built.incrementAndGet();
    return new Stub();
  }

  @Test
  void onePipelinePerKeyBuiltLazilyAndReused() throws Exception {
    PipelineHolder.Key gpu0 = new PipelineHolder.Key("F", "m.yaml", "w", "gpu:0");
    PipelineHolder.Key gpu1 = new PipelineHolder.Key("F", "m.yaml", "w", "gpu:1");
    assertTrue(PipelineHolder.loaded().isEmpty());
    String a = PipelineHolder.run(gpu0, this::build, (p, id) -> id);
    String b = PipelineHolder.run(gpu0, this::build, (p, id) -> id);
    String c = PipelineHolder.run(gpu1, this::build, (p, id) -> id);
    assertEquals(a, b);
    assertNotEquals(a, c);
    assertEquals(2, built.get());
    assertEquals(java.util.Set.of(gpu0, gpu1), PipelineHolder.loaded());
    PipelineHolder.closeAll();
    assertEquals(2, closed.size());
    assertTrue(PipelineHolder.loaded().isEmpty());
  }

  @Test
  void aFailedBuildIsNotCachedAndConcurrentTasksShareOneBuild() throws Exception {
    PipelineHolder.Key key = new PipelineHolder.Key("F", "m.yaml", null, "cpu");
    assertThrows(IllegalStateException.class, () -> PipelineHolder.run(key, () -> {
      throw new IllegalStateException("weights missing");
    }, (p, id) -> id));
    List<Thread> threads = new ArrayList<>();
    java.util.Set<String> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 4; i++) {
      Thread t = new Thread(() -> {
        try {
          ids.add(PipelineHolder.run(key, this::build, (p, id) -> id));
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(1, built.get());
    assertEquals(1, ids.size());
  }

  @Test
  void gpuAddressesMapToDevices() {
    assertEquals(Device.cpu(), TaskDevice.device(null));
    assertEquals(Device.gpu(1), TaskDevice.device("1"));
    assertEquals("gpu:3", TaskDevice.name(" 3 "));
    assertEquals("cpu", TaskDevice.name(null));
    assertThrows(IllegalArgumentException.class, () -> TaskDevice.device("GPU-8a1c"));
    assertEquals(null, TaskDevice.gpuAddress(), "no Spark task: no GPU");
  }
}
