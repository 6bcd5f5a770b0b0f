package org.k5spark.jobs.spark.items;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor-wide cache of loaded models (a pipeline, a metric set with ViT weights): per key (weights,
 * device, ...) up to {@code maxInstances} thread-confined instances, built lazily by the first task that needs
 * one, lent to one task at a time, reused by every later task of the JVM and closed when it exits. With
 * {@code maxInstances = 1} every task of the executor shares one instance (one copy per GPU; two task slots on
 * one GPU take turns); model-free work can use one per task slot so CPU tasks run in parallel.
 *
 * <p>A build that fails is remembered for its key: every later task of this JVM fails at once with the same
 * reason instead of loading gigabytes of weights again to meet the same NaN or missing key (a re-run starts
 * a fresh JVM and tries again). This is our own per-executor predictor pattern (DJL's Spark extension is not
 * available here).
 */
public final class ModelCache<K, V extends AutoCloseable> {
  private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);

  private final String what;
  private final Map<K, Slot<V>> slots = new ConcurrentHashMap<>();

  public ModelCache(String what) {
    this.what = what;
    Runtime.getRuntime().addShutdownHook(new Thread(this::closeAll, "k5-close-" + what));
  }

  /** A loaded instance and the id that names it in part records (proves reuse). */
  public record Loaded<V>(V model, String instanceId) {}

  private static final class Slot<V> {
    final Semaphore permits;
    final Deque<Loaded<V>> idle = new ArrayDeque<>();
    int built;
    RuntimeException buildFailure;

    Slot(int max) {
      permits = new Semaphore(max, true);
    }
  }

  /** Work done with a borrowed instance. */
  @FunctionalInterface
  public interface Work<V, T> {
    T apply(Loaded<V> loaded) throws Exception;
  }

  public <T> T run(K key, int maxInstances, Supplier<V> builder, Work<V, T> work) throws Exception {
    Slot<V> slot = slots.computeIfAbsent(key, k -> new Slot<>(Math.max(1, maxInstances)));
    slot.permits.acquire();
    Loaded<V> v;
    try {
      synchronized (slot) {
        if (slot.buildFailure != null) {
          throw slot.buildFailure;
        }
        v = slot.idle.pollFirst();
      }
      if (v == null) {
        v = build(key, slot, builder);
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

  private Loaded<V> build(K key, Slot<V> slot, Supplier<V> builder) {
    long t0 = System.nanoTime();
    V model;
    try {
      model = builder.get();
    } catch (RuntimeException e) {
      synchronized (slot) {
        slot.buildFailure = e;
      }
      throw e;
    }
    Loaded<V> v = new Loaded<>(model, UUID.randomUUID().toString().substring(0, 8));
    synchronized (slot) {
      slot.built++;
    }
    LOG.info("loaded {} {} (#{}) for {} in {} ms", what, v.instanceId(), slot.built, key,
        (System.nanoTime() - t0) / 1_000_000);
    return v;
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

  /** Closes every idle instance and forgets every key (and remembered failure). */
  public void closeAll() {
    slots.forEach((k, s) -> {
      synchronized (s) {
        for (Loaded<V> v : s.idle) {
          try {
            v.model().close();
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
