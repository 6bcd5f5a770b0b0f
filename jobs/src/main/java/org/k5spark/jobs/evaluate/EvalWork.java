package org.k5spark.jobs.evaluate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.video.DecodedVideo;
import org.k5spark.core.video.Mp4Reader;
import org.k5spark.core.video.VideoFileException;
import org.k5spark.eval.metrics.MetricResult;
import org.k5spark.eval.metrics.MetricSet;
import org.k5spark.eval.metrics.ModelMetrics;
import org.k5spark.eval.raft.FlowChoice;
import org.k5spark.jobs.spark.ModelFiles;
import org.k5spark.jobs.spark.TaskDevice;
import org.k5spark.jobs.spark.items.ItemTask;
import org.k5spark.jobs.spark.items.ItemWork;
import org.k5spark.jobs.spark.items.ModelCache;
import org.k5spark.jobs.spark.items.PartStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluate job's items: each video of a batch is decoded from the run's filesystem and scored with the
 * executor's cached {@link MetricSet}. A missing or undecodable video becomes a record with the reason; nothing
 * stops the rest of the batch.
 */
public final class EvalWork implements ItemWork<EvalItem, EvalRecord, EvalRecord> {
  private static final Logger LOG = LoggerFactory.getLogger(EvalWork.class);
  private static final long serialVersionUID = 1L;

  /** Metric sets of this executor JVM, keyed by (weights dir, device). */
  static final ModelCache<Key, Scorer> MODELS = new ModelCache<>("metric set");

  private final EvaluateConfig cfg;
  private final PartStore<EvalRecord> parts;

  public EvalWork(EvaluateConfig cfg) {
    this.cfg = cfg;
    this.parts = parts(cfg.layout());
  }

  static PartStore<EvalRecord> parts(EvalLayout layout) {
    return new PartStore<>(layout.parts(), layout.tmp(), EvalRecord.class);
  }

  record Key(String weightsDir, String device) {}

  /** A metric set and the models it owns. */
  record Scorer(MetricSet metrics, ModelMetrics models, FlowChoice flows) implements AutoCloseable {
    @Override
    public void close() {
      models.close();
      flows.close();
    }
  }

  @Override
  public String itemId(EvalItem item) {
    return item.itemId();
  }

  @Override
  public PartStore<EvalRecord> parts() {
    return parts;
  }

  @Override
  public String staleReason(EvalItem item, EvalRecord committed, Configuration conf) throws IOException {
    if (!committed.settled()) {
      return "earlier attempt failed: " + committed.error();
    }
    if (item.videoSha256() != null) {
      return item.videoSha256().equals(committed.videoSha256()) ? null : "its video was regenerated since it was scored";
    }
    // a manifest older than video_sha256: the video's size is what it can compare
    return videoBytes(item.videoPath(), conf) == committed.videoBytes() ? null : "its video changed size";
  }

  @Override
  public List<EvalRecord> process(List<EvalItem> batch, Configuration conf) throws Exception {
    String gpu = TaskDevice.gpuAddress();
    String device = gpu != null ? TaskDevice.name(gpu) : cfg.device();
    Key key = new Key(cfg.weightsDir(), device);
    List<EvalRecord> out = new ArrayList<>();
    for (EvalItem item : batch) {
      out.add(evaluate(item, videoBytes(item.videoPath(), conf), key, conf));
    }
    return out;
  }

  @Override
  public EvalRecord commitItem(EvalItem item, EvalRecord scored, String redone, Configuration conf) {
    return scored.withRedone(redone);
  }

  @Override
  public EvalRecord failed(EvalItem item, String reason, String redone) {
    return record(item, EvalRecord.ERROR, reason, -1, Map.of(), System.nanoTime(), cfg.device()).withRedone(redone);
  }

  private EvalRecord evaluate(EvalItem item, long bytes, Key key, Configuration conf) {
    long t0 = System.nanoTime();
    if (bytes < 0) {
      return record(item, EvalRecord.MISSING, "video not found: " + item.videoPath(), bytes, Map.of(), t0, key.device());
    }
    DecodedVideo video;
    try (InputStream in = new Path(item.videoPath()).getFileSystem(conf).open(new Path(item.videoPath()))) {
      video = new Mp4Reader().read(in, item.videoPath());
    } catch (VideoFileException e) {
      return record(item, EvalRecord.CORRUPT, e.getMessage(), bytes, Map.of(), t0, key.device());
    } catch (IOException | RuntimeException e) {
      return record(item, EvalRecord.CORRUPT, "cannot read " + item.videoPath() + ": " + e, bytes, Map.of(), t0,
          key.device());
    }
    // weights are loaded once per device and shared by that executor's tasks; model-free sets are cheap:
    // one per task slot so CPU tasks score in parallel
    int maxInstances = cfg.weightsDir() == null ? Integer.MAX_VALUE : 1;
    try {
      Map<String, MetricResult> results = MODELS.run(key, maxInstances, () -> build(key, conf),
          s -> s.model().metrics().run(video.frames(), item.prompt()));
      return record(item, EvalRecord.OK, null, bytes, results, t0, key.device());
    } catch (Exception | OutOfMemoryError e) {
      LOG.warn("scoring {} failed: {}", item.videoPath(), e.toString());
      return record(item, EvalRecord.ERROR, "metrics failed: " + ItemTask.oneLine(e), bytes, Map.of(), t0, key.device());
    }
  }

  private Scorer build(Key key, Configuration conf) {
    ModelMetrics models;
    java.nio.file.Path local = null;
    if (key.weightsDir() == null) {
      models = ModelMetrics.none();
    } else {
      try {
        local = java.nio.file.Path.of(ModelFiles.localize(key.weightsDir(), conf));
        models = ModelMetrics.create(local, TorchRuntime.device(key.device()));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot fetch metric weights " + key.weightsDir(), e);
      }
    }
    // dynamic_degree / static filter: VBench's RAFT when the weights directory holds it, else Farneback
    FlowChoice flows = FlowChoice.open(null, local, local == null ? null : TorchRuntime.device(key.device()));
    return new Scorer(MetricSet.with(flows.estimator(),
        new org.k5spark.eval.flow.FlowWarpInterpolator(new org.k5spark.eval.flow.FarnebackFlow()), models), models,
        flows);
  }

  private static EvalRecord record(EvalItem item, String status, String error, long bytes,
      Map<String, MetricResult> results, long t0, String device) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    Map<String, String> estimators = new LinkedHashMap<>();
    Map<String, String> notComputed = new LinkedHashMap<>();
    for (MetricResult r : results.values()) {
      Double v = numeric(r);
      if (v == null && r.computed()) {
        continue; // text-valued results (e.g. labels) have no place in a numeric table
      }
      metrics.put(r.name(), v);
      if (r.estimator() != null) {
        estimators.put(r.name(), r.estimator());
      }
      if (!r.computed()) {
        notComputed.put(r.name(), r.notComputedReason());
      }
    }
    TaskContext tc = TaskContext.get();
    return new EvalRecord(item.itemId(), status, error, bytes, item.videoSha256(), metrics, estimators, notComputed,
        (System.nanoTime() - t0) / 1e9, device, SparkEnv.get() == null ? "driver" : SparkEnv.get().executorId(),
        tc == null ? 0 : tc.attemptNumber(), null, System.currentTimeMillis());
  }

  private static Double numeric(MetricResult r) {
    if (!r.computed()) {
      return null;
    }
    if (r.value() instanceof Boolean b) {
      return b ? 1.0 : 0.0;
    }
    return r.value() instanceof Number n ? n.doubleValue() : null;
  }

  /** Size of the video, -1 when the manifest names none or it does not exist. */
  static long videoBytes(String videoPath, Configuration conf) throws IOException {
    if (videoPath == null || videoPath.isBlank()) {
      return -1;
    }
    Path p = new Path(videoPath);
    try {
      FileStatus st = p.getFileSystem(conf).getFileStatus(p);
      return st.isFile() ? st.getLen() : -1;
    } catch (java.io.FileNotFoundException e) {
      return -1;
    }
  }
}
