package org.k5spark.jobs.generate;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.k5spark.core.pipeline.GeneratedVideo;
import org.k5spark.core.pipeline.ModelIdentity;
import org.k5spark.core.pipeline.TextToVideo;
import org.k5spark.core.pipeline.TextToVideoFactory;
import org.k5spark.core.pipeline.VideoRequest;
import org.k5spark.jobs.spark.FsCommit;
import org.k5spark.jobs.spark.HadoopConf;
import org.k5spark.jobs.spark.ModelFiles;
import org.k5spark.jobs.spark.PipelineHolder;
import org.k5spark.jobs.spark.TaskDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executor side of the generate job: one partition is a cost-balanced bucket of prompts. Each prompt
 * already committed (by an earlier run, a failed attempt of this task or a speculative twin) is
 * skipped; the rest are generated on this task's device with the executor's cached pipeline, encoded
 * to a local temp MP4 and committed: video first, then its part file.
 */
public final class PromptTask implements FlatMapFunction<Iterator<List<PromptRecord>>, PartRecord> {
  private static final Logger LOG = LoggerFactory.getLogger(PromptTask.class);
  private static final long serialVersionUID = 1L;

  private final GenerateConfig cfg;
  private final HadoopConf hadoop;

  public PromptTask(GenerateConfig cfg, HadoopConf hadoop) {
    this.cfg = cfg;
    this.hadoop = hadoop;
  }

  @Override
  public Iterator<PartRecord> call(Iterator<List<PromptRecord>> buckets) throws Exception {
    Configuration conf = hadoop.get();
    RunLayout layout = cfg.layout();
    String gpu = TaskDevice.gpuAddress();
    PipelineHolder.Key key = new PipelineHolder.Key(cfg.factoryClass(), cfg.modelConfig(), cfg.weightsRoot(),
        TaskDevice.name(gpu));
    VideoEncoder encoder = VideoEncoder.byName(cfg.encoderClass());
    java.nio.file.Path work = Files.createDirectories(
        java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "k5-generate"));
    List<PartRecord> out = new ArrayList<>();
    while (buckets.hasNext()) {
      for (PromptRecord p : buckets.next()) {
        PartRecord done = committed(layout, p.promptId(), conf);
        if (done != null) {
          out.add(done);
          continue;
        }
        // the pipeline lock covers generation only: encoding and upload overlap with the next prompt
        Outcome o = PipelineHolder.run(key, () -> build(key, gpu, conf, work),
            (pipeline, instance) -> generate(pipeline, instance, p));
        out.add(commit(o, p, gpu, encoder, work, conf, layout));
      }
    }
    return out.iterator();
  }

  /** The committed ok result for a prompt, if its part and a video of the recorded size both exist. */
  static PartRecord committed(RunLayout layout, String promptId, Configuration conf) throws IOException {
    Path part = layout.part(promptId);
    FileSystem fs = part.getFileSystem(conf);
    PartRecord rec;
    try (var in = fs.open(part)) {
      rec = PartRecord.fromJson(in.readAllBytes());
    } catch (java.io.FileNotFoundException e) {
      return null;
    } catch (IOException e) {
      LOG.warn("unreadable part {}: {}; regenerating", part, e.toString());
      return null;
    }
    if (!rec.ok()) {
      return null; // failed prompts are retried by a re-run
    }
    try {
      FileStatus st = fs.getFileStatus(layout.video(promptId));
      return st.getLen() == rec.videoBytes() && st.getLen() > 0 ? rec : null;
    } catch (java.io.FileNotFoundException e) {
      return null;
    }
  }

  private TextToVideo build(PipelineHolder.Key key, String gpu, Configuration conf, java.nio.file.Path work) {
    try {
      String config = ModelFiles.localize(key.modelConfig(), conf, work);
      String weights = ModelFiles.localize(key.weightsRoot(), conf, work);
      TextToVideoFactory factory = (TextToVideoFactory) Class.forName(key.factoryClass(), true,
          Thread.currentThread().getContextClassLoader()).getDeclaredConstructor().newInstance();
      return factory.create(config, weights, TaskDevice.device(gpu));
    } catch (IOException | ReflectiveOperationException e) {
      throw new IllegalStateException("cannot load pipeline " + key + ": " + e, e);
    }
  }

  /** What one prompt's generation produced: a video, or the error that stopped it. */
  private record Outcome(GeneratedVideo video, String error, boolean tiling, ModelIdentity id, String instance,
      long startNanos) {}

  private Outcome generate(TextToVideo pipeline, String instance, PromptRecord p) {
    ModelIdentity id = pipeline.identity();
    VideoRequest req = cfg.sampling().request(p);
    long t0 = System.nanoTime();
    try {
      return new Outcome(pipeline.generate(req, step -> { }), null, false, id, instance, t0);
    } catch (Exception | OutOfMemoryError first) {
      LOG.warn("prompt {} failed ({}){}", p.promptId(), first.toString(),
          cfg.retryWithTiling() ? "; retrying with VAE tiling" : "");
      if (!cfg.retryWithTiling()) {
        return new Outcome(null, describe(first), false, id, instance, t0);
      }
      try {
        return new Outcome(pipeline.generate(req.withVaeTiling(true), step -> { }), null, true, id, instance, t0);
      } catch (Exception | OutOfMemoryError second) {
        return new Outcome(null, describe(second) + " (after retry with VAE tiling; first error: " + describe(first) + ")",
            true, id, instance, t0);
      }
    }
  }

  /** Encodes and uploads the video (if any), then commits the prompt's part file: video first, part last. */
  private PartRecord commit(Outcome o, PromptRecord p, String gpu, VideoEncoder encoder, java.nio.file.Path work,
      Configuration conf, RunLayout layout) throws IOException {
    TaskContext tc = TaskContext.get();
    int attempt = tc == null ? 0 : tc.attemptNumber();
    String executor = SparkEnv.get() == null ? "driver" : SparkEnv.get().executorId();
    ModelIdentity id = o.id();
    if (o.video() == null) {
      PartRecord failed = new PartRecord(p.promptId(), PartRecord.FAILED, o.error(), null, 0, p.seed(), id.variant(),
          id.checkpointDigest(), id.configDigest(), 0, 0, 0, 0, 0, 0, false, o.tiling(), cfg.sampling().magCache(),
          Map.of("total", (System.nanoTime() - o.startNanos()) / 1e6), gpu, executor, attempt, o.instance(),
          System.currentTimeMillis());
      FsCommit.commitBytes(failed.toJson(), layout.part(p.promptId()), layout.tmp(), conf);
      return failed;
    }
    GeneratedVideo video = o.video();
    java.nio.file.Path local = Files.createTempFile(work, p.promptId() + "-", ".mp4");
    try {
      video.timings().time("encode", () -> {
        try {
          encoder.encode(video.frames(), local);
          return null;
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      Path dest = layout.video(p.promptId());
      long bytes = video.timings().time("upload", () -> {
        try {
          return FsCommit.commitFile(local, dest, layout.tmp(), conf);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      PartRecord ok = new PartRecord(p.promptId(), PartRecord.OK, null, dest.toString(), bytes, p.seed(), id.variant(),
          id.checkpointDigest(), id.configDigest(), video.width(), video.height(), video.frames().frames(),
          video.frames().fps(), video.steps(), video.guidanceWeight(), video.promptTruncated(), o.tiling(),
          cfg.sampling().magCache(),
          video.timings().asMap(), gpu, executor, attempt, o.instance(), System.currentTimeMillis());
      FsCommit.commitBytes(ok.toJson(), layout.part(p.promptId()), layout.tmp(), conf);
      return ok;
    } finally {
      Files.deleteIfExists(local);
    }
  }

  private static String describe(Throwable t) {
    StringWriter sw = new StringWriter();
    t.printStackTrace(new PrintWriter(sw));
    String[] lines = sw.toString().split("\n");
    // first lines are enough to diagnose; the full trace is in the executor log
    return String.join(" | ", java.util.Arrays.copyOfRange(lines, 0, Math.min(3, lines.length))).strip();
  }
}
