package org.k5spark.jobs.spark;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-executor JVM pool of expensive, thread-confined objects (e.g. a metric set with ViT weights), the
 * same pattern as {@link PipelineHolder} but with up to {@code maxInstances} copies per key: a task
 * borrows an idle instance (built lazily on first need), uses it alone, and returns it for the next task.
 * With {@code maxInstances = 1} every task of the executor shares one instance (GPU models: one copy per
 * device); model-free work can use one per task slot so CPU tasks run in parallel. Closed on JVM exit.
 */
public final class InstancePool<K, V extends AutoCloseable> {
  private static final Logger LOG = LoggerFactory.getLogger(InstancePool.class);

  private final String what;
  private final Map<K, Slot<V>> slots = new ConcurrentHashMap<>();

  public InstancePool(String what) {
    this.what = what;
    Runtime.getRuntime().addShutdownHook(new Thread(this::closeAll, "k5-pool-close-" + what));
  }

  private static final class Slot<V> {
    final Semaphore permits;
    final Deque<V> idle = new ArrayDeque<>();
    int built;

    Slot(int max) {
      permits = new Semaphore(max, true);
    }
  }

  /** Work done with a borrowed instance. */
  @FunctionalInterface
  public interface Work<V, T> {
    T apply(V instance) throws Exception;
  }

  public <T> T run(K key, int maxInstances, Supplier<V> builder, Work<V, T> work) throws Exception {
    Slot<V> slot = slots.computeIfAbsent(key, k -> new Slot<>(Math.max(1, maxInstances)));
    slot.permits.acquire();
    V v;
    try {
      synchronized (slot) {
        v = slot.idle.pollFirst();
      }
      if (v == null) {
        long t0 = System.nanoTime();
        v = builder.get();
        synchronized (slot) {
          slot.built++;
        }
        LOG.info("built {} #{} for {} in {} ms", what, slot.built, key, (System.nanoTime() - t0) / 1_000_000);
      }
    } catch (RuntimeException | Error e) {
      slot.permits.release();
      throw e;
    }
    try {
      return work.apply(v);
    } finally {
      synchronized (slot) {
        slot.idle.addFirst(v);
      }
      slot.permits.release();
    }
  }

  /** Instances built so far for {@code key} in this JVM (tests: proves reuse). */
  public int built(K key) {
    Slot<V> s = slots.get(key);
    if (s == null) {
      return 0;
    }
    synchronized (s) {
      return s.built;
    }
  }

  public void closeAll() {
    slots.forEach((k, s) -> {
      synchronized (s) {
        for (V v : s.idle) {
          try {
            v.close();
          } catch (Exception e) {
            LOG.warn("closing {} for {} failed: {}", what, k, e.toString());
          }
        }
        s.idle.clear();
      }
    });
    slots.clear();
  }
}
