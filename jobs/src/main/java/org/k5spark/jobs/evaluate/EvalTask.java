package org.k5spark.jobs.evaluate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.video.DecodedVideo;
import org.k5spark.core.video.Mp4Reader;
import org.k5spark.core.video.VideoFileException;
import org.k5spark.eval.metrics.MetricResult;
import org.k5spark.eval.metrics.MetricSet;
import org.k5spark.eval.metrics.ModelMetrics;
import org.k5spark.jobs.spark.FsCommit;
import org.k5spark.jobs.spark.HadoopConf;
import org.k5spark.jobs.spark.InstancePool;
import org.k5spark.jobs.spark.ModelFiles;
import org.k5spark.jobs.spark.TaskDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executor side of the evaluate job: decodes each video of its bucket from the run's filesystem, scores
 * it with the executor's cached {@link MetricSet} and commits one part file per video. A missing or
 * undecodable video becomes a part with the reason; nothing stops the rest of the bucket.
 */
public final class EvalTask implements FlatMapFunction<Iterator<List<EvalItem>>, EvalRecord> {
  private static final Logger LOG = LoggerFactory.getLogger(EvalTask.class);
  private static final long serialVersionUID = 1L;

  /** Metric sets of this executor JVM, keyed by (weights dir, device). */
  static final InstancePool<Key, Scorer> POOL = new InstancePool<>("metric set");

  private final EvaluateConfig cfg;
  private final HadoopConf hadoop;

  public EvalTask(EvaluateConfig cfg, HadoopConf hadoop) {
    this.cfg = cfg;
    this.hadoop = hadoop;
  }

  record Key(String weightsDir, String device) {}

  /** A metric set and the models it owns. */
  record Scorer(MetricSet metrics, ModelMetrics models) implements AutoCloseable {
    @Override
    public void close() {
      models.close();
    }
  }

  @Override
  public Iterator<EvalRecord> call(Iterator<List<EvalItem>> buckets) throws Exception {
    Configuration conf = hadoop.get();
    EvalLayout layout = cfg.layout();
    String gpu = TaskDevice.gpuAddress();
    String device = gpu != null ? TaskDevice.name(gpu) : cfg.device();
    Key key = new Key(cfg.weightsDir(), device);
    // weights are loaded once per device and shared by that executor's tasks; model-free sets are cheap:
    // one per task slot so CPU tasks score in parallel
    int maxInstances = cfg.weightsDir() == null ? Integer.MAX_VALUE : 1;
    List<EvalRecord> out = new ArrayList<>();
    while (buckets.hasNext()) {
      for (EvalItem item : buckets.next()) {
        long bytes = videoBytes(item.videoPath(), conf);
        EvalRecord done = committed(layout, item.promptId(), bytes, conf);
        if (done != null) {
          out.add(done);
          continue;
        }
        EvalRecord rec = evaluate(item, bytes, key, maxInstances, conf);
        FsCommit.commitBytes(rec.toJson(), layout.part(item.promptId()), layout.tmp(), conf);
        out.add(rec);
      }
    }
    return out.iterator();
  }

  private EvalRecord evaluate(EvalItem item, long bytes, Key key, int maxInstances, Configuration conf) {
    long t0 = System.nanoTime();
    if (bytes < 0) {
      return record(item, EvalRecord.MISSING, "video not found: " + item.videoPath(), bytes, Map.of(), t0, key);
    }
    DecodedVideo video;
    try (InputStream in = new Path(item.videoPath()).getFileSystem(conf).open(new Path(item.videoPath()))) {
      video = new Mp4Reader().read(in, item.videoPath());
    } catch (VideoFileException e) {
      return record(item, EvalRecord.CORRUPT, e.getMessage(), bytes, Map.of(), t0, key);
    } catch (IOException | RuntimeException e) {
      return record(item, EvalRecord.CORRUPT, "cannot read " + item.videoPath() + ": " + e, bytes, Map.of(), t0, key);
    }
    try {
      Map<String, MetricResult> results = POOL.run(key, maxInstances, () -> build(key, conf),
          s -> s.metrics().run(video.frames(), item.prompt()));
      return record(item, EvalRecord.OK, null, bytes, results, t0, key);
    } catch (Exception | OutOfMemoryError e) {
      LOG.warn("scoring {} failed: {}", item.videoPath(), e.toString());
      return record(item, EvalRecord.ERROR, "metrics failed: " + e, bytes, Map.of(), t0, key);
    }
  }

  private Scorer build(Key key, Configuration conf) {
    ModelMetrics models;
    if (key.weightsDir() == null) {
      models = ModelMetrics.none();
    } else {
      try {
        java.nio.file.Path work = Files.createDirectories(
            java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "k5-evaluate"));
        models = ModelMetrics.create(java.nio.file.Path.of(ModelFiles.localize(key.weightsDir(), conf, work)),
            TorchRuntime.device(key.device()));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot fetch metric weights " + key.weightsDir(), e);
      }
    }
    return new Scorer(MetricSet.with(new org.k5spark.eval.flow.FarnebackFlow(),
        new org.k5spark.eval.flow.FlowWarpInterpolator(new org.k5spark.eval.flow.FarnebackFlow()), models), models);
  }

  private static EvalRecord record(EvalItem item, String status, String error, long bytes,
      Map<String, MetricResult> results, long t0, Key key) {
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
    return new EvalRecord(item.promptId(), status, error, bytes, metrics, estimators, notComputed,
        (System.nanoTime() - t0) / 1e9, key.device(), SparkEnv.get() == null ? "driver" : SparkEnv.get().executorId(),
        tc == null ? 0 : tc.attemptNumber(), System.currentTimeMillis());
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

  /** The settled part of this video, if one was committed for a video of the same size. */
  static EvalRecord committed(EvalLayout layout, String promptId, long videoBytes, Configuration conf) throws IOException {
    Path part = layout.part(promptId);
    FileSystem fs = part.getFileSystem(conf);
    try (InputStream in = fs.open(part)) {
      EvalRecord r = EvalRecord.fromJson(in.readAllBytes());
      return r.settled() && r.videoBytes() == videoBytes ? r : null;
    } catch (java.io.FileNotFoundException e) {
      return null;
    } catch (IOException e) {
      LOG.warn("unreadable part {}: {}; re-scoring", part, e.toString());
      return null;
    }
  }
}
