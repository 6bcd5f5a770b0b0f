package org.k5spark.jobs.spark.items;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * <p>Each instance lives on its own thread: it is built, used and closed there, whichever Spark task thread
 * borrows it. libtorch's intra-op thread settings are per calling thread, so a model driven from changing task
 * threads can round differently from one call to the next; on its own thread a prompt gives the same bytes in
 * any partition, batch or attempt (and a GPU model keeps one CUDA context thread).
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

  /** A loaded instance, the id that names it in part records (proves reuse), and the thread it runs on. */
  public record Loaded<V>(V model, String instanceId, ExecutorService thread) {}

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
    } catch (Exception | Error e) {
      slot.permits.release();
      throw e;
    }
    try {
      Loaded<V> lent = v;
      return onThread(v.thread(), () -> work.apply(lent));
    } finally {
      synchronized (slot) {
        slot.idle.addFirst(v);
      }
      slot.permits.release();
    }
  }

  private Loaded<V> build(K key, Slot<V> slot, Supplier<V> builder) throws Exception {
    long t0 = System.nanoTime();
    String id = UUID.randomUUID().toString().substring(0, 8);
    ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "k5-" + what.replace(' ', '-') + "-" + id);
      t.setDaemon(true);
      return t;
    });
    V model;
    try {
      model = onThread(thread, builder::get);
    } catch (RuntimeException e) {
      thread.shutdown();
      synchronized (slot) {
        slot.buildFailure = e;
      }
      throw e;
    } catch (Exception | Error e) {
      thread.shutdown();
      throw e;
    }
    Loaded<V> v = new Loaded<>(model, id, thread);
    synchronized (slot) {
      slot.built++;
    }
    LOG.info("loaded {} {} (#{}) for {} in {} ms", what, v.instanceId(), slot.built, key,
        (System.nanoTime() - t0) / 1_000_000);
    return v;
  }

  /** Runs {@code work} on {@code thread} and waits; its exception is rethrown as it was thrown. */
  private static <T> T onThread(ExecutorService thread, Callable<T> work) throws Exception {
    Future<T> f = thread.submit(work);
    try {
      return f.get();
    } catch (InterruptedException e) {
      f.cancel(true); // the Spark task was killed: stop the work too
      Thread.currentThread().interrupt();
      throw e;
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof Exception x) {
        throw x;
      }
      if (c instanceof Error x) {
        throw x;
      }
      throw e;
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

  /** Closes every idle instance and forgets every key (and remembered failure). */
  public void closeAll() {
    slots.forEach((k, s) -> {
      synchronized (s) {
        for (Loaded<V> v : s.idle) {
          try {
            onThread(v.thread(), () -> {
              v.model().close();
              return null;
            });
          } catch (Exception e) {
            LOG.warn("closing {} for {} failed: {}", what, k, e.toString());
          } finally {
            v.thread().shutdown();
          }
        }
        s.idle.clear();
      }
    });
    slots.clear();
  }
}
