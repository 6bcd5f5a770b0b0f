package org.k5spark.jobs.spark;

import java.io.Serializable;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.k5spark.core.pipeline.TextToVideo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded pipeline per executor JVM per (factory, model config, weights, device): built lazily by
 * the first task that needs it, reused by every later task in that JVM, closed when the JVM exits.
 *
 * <p>This is our own per-executor predictor pattern (DJL's Spark extension is not available here).
 * A {@link TextToVideo} is thread-confined, so {@link #run} serialises the tasks that share one entry
 * (e.g. two task slots on one GPU with spark.task.resource.gpu.amount=0.5).
 */
public final class PipelineHolder {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineHolder.class);
  private static final Map<Key, Entry> CACHE = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(PipelineHolder::closeAll, "k5-pipeline-close"));
  }

  private PipelineHolder() {}

  public record Key(String factoryClass, String modelConfig, String weightsRoot, String device) implements Serializable {}

  /** A cache slot; {@code instanceId} names the loaded pipeline in manifests (proves reuse). */
  public static final class Entry {
    private TextToVideo pipeline;
    private String instanceId;

    public synchronized String instanceId() {
      return instanceId;
    }
  }

  /** Work done with the pipeline while holding its lock. */
  @FunctionalInterface
  public interface Work<T> {
    T apply(TextToVideo pipeline, String instanceId) throws Exception;
  }

  public static <T> T run(Key key, Supplier<TextToVideo> builder, Work<T> work) throws Exception {
    Entry e = CACHE.computeIfAbsent(key, k -> new Entry());
    synchronized (e) {
      if (e.pipeline == null) {
        long t0 = System.nanoTime();
        e.pipeline = builder.get();
        e.instanceId = UUID.randomUUID().toString().substring(0, 8);
        LOG.info("loaded pipeline {} for {} in {} ms", e.instanceId, key, (System.nanoTime() - t0) / 1_000_000);
      }
      return work.apply(e.pipeline, e.instanceId);
    }
  }

  /** Keys with a loaded pipeline in this JVM. */
  public static Set<Key> loaded() {
    Set<Key> out = new java.util.HashSet<>();
    CACHE.forEach((k, e) -> {
      synchronized (e) {
        if (e.pipeline != null) {
          out.add(k);
        }
      }
    });
    return out;
  }

  public static void closeAll() {
    CACHE.forEach((k, e) -> {
      synchronized (e) {
        if (e.pipeline != null) {
          try {
            e.pipeline.close();
          } catch (RuntimeException ex) {
            LOG.warn("closing pipeline {} failed: {}", k, ex.toString());
          }
          e.pipeline = null;
        }
      }
    });
    CACHE.clear();
  }
}
