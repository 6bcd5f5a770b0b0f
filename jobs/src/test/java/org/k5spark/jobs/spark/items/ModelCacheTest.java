package org.k5spark.jobs.spark.items;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The executor-wide model cache: one build per key, reuse, bounded instances, remembered build failures. */
class ModelCacheTest {
  private final AtomicInteger built = new AtomicInteger();
  private final List<Model> closed = new ArrayList<>();
  private final ModelCache<String, Model> cache = new ModelCache<>("test model");

  private final class Model implements AutoCloseable {
    @Override
    public void close() {
      synchronized (closed) {
        closed.add(this);
      }
    }
  }

  @AfterEach
  void clear() {
    cache.closeAll();
  }

  private Model build() {
    built.incrementAndGet();
    return new Model();
  }

  @Test
  void oneInstancePerKeyBuiltLazilyReusedAndClosed() throws Exception {
    String a = cache.run("gpu:0", 1, this::build, ModelCache.Loaded::instanceId);
    String b = cache.run("gpu:0", 1, this::build, ModelCache.Loaded::instanceId);
    String c = cache.run("gpu:1", 1, this::build, ModelCache.Loaded::instanceId);
    assertEquals(a, b);
    assertNotEquals(a, c);
    assertEquals(2, built.get());
    assertEquals(1, cache.built("gpu:0"));
    cache.closeAll();
    assertEquals(2, closed.size());
    assertEquals(0, cache.built("gpu:0"));
  }

  @Test
  void concurrentTasksShareOneInstanceWhenTheKeyAllowsOne() throws Exception {
    Set<String> ids = ConcurrentHashMap.newKeySet();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread t = new Thread(() -> {
        try {
          ids.add(cache.run("cpu", 1, this::build, ModelCache.Loaded::instanceId));
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
  void aFailedBuildIsRememberedSoLaterTasksFailFastWithTheSameReason() throws Exception {
    IllegalStateException first = assertThrows(IllegalStateException.class, () -> cache.run("cpu", 1, () -> {
      built.incrementAndGet();
      throw new IllegalStateException("weights.safetensors: tensor 'w' has 1 non-finite value(s) (NaN or Inf)");
    }, ModelCache.Loaded::instanceId));
    IllegalStateException second = assertThrows(IllegalStateException.class,
        () -> cache.run("cpu", 1, this::build, ModelCache.Loaded::instanceId));
    assertSame(first, second);
    assertEquals(1, built.get(), "the weights are not loaded a second time");
    cache.closeAll(); // a fresh start (a new JVM) tries again
    assertEquals("rebuilt", cache.run("cpu", 1, this::build, l -> "rebuilt"));
    assertEquals(2, built.get());
  }
}
