package org.k5spark.jobs.generate;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.k5spark.core.pipeline.GeneratedVideo;
import org.k5spark.core.pipeline.ModelIdentity;
import org.k5spark.core.pipeline.TextToVideo;
import org.k5spark.core.pipeline.TextToVideoFactory;
import org.k5spark.core.pipeline.VideoRequest;
import org.k5spark.eval.store.FsCommit;
import org.k5spark.jobs.spark.LocalScratch;
import org.k5spark.jobs.spark.ModelFiles;
import org.k5spark.jobs.spark.TaskDevice;
import org.k5spark.jobs.spark.items.ItemTask;
import org.k5spark.jobs.spark.items.ItemWork;
import org.k5spark.jobs.spark.items.ModelCache;
import org.k5spark.jobs.spark.items.PartStore;
import org.k5spark.jobs.spark.items.PayloadDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generate job's items: a batch of prompts goes through the executor's cached pipeline in one
 * {@link TextToVideo#generateEach} call (text encoders placed once per batch); a prompt that failed is retried
 * alone with small VAE tiles; each video is encoded to a local MP4, hashed, uploaded, and its part committed.
 */
public final class PromptWork implements ItemWork<PromptSample, PromptWork.Generated, PartRecord> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(PromptWork.class);

  /** The pipelines of this executor JVM: one per (factory, model config, weights, device). */
  static final ModelCache<Key, TextToVideo> PIPELINES = new ModelCache<>("pipeline");
  private static final AtomicInteger BATCHES = new AtomicInteger();

  public record Key(String factoryClass, String modelConfig, String weightsRoot, String device) implements Serializable {}

  /** One prompt's generation, with the batch it ran in. */
  public record Generated(GeneratedVideo video, String error, boolean tiling, ModelIdentity id, String instance,
      String batchId, int batchSize, int encoderPlacements, long startNanos) {}

  private final GenerateConfig cfg;
  private final PartStore<PartRecord> parts;

  public PromptWork(GenerateConfig cfg) {
    this.cfg = cfg;
    this.parts = parts(cfg.layout());
  }

  static PartStore<PartRecord> parts(RunLayout layout) {
    return new PartStore<>(layout.parts(), layout.tmp(), PartRecord.class);
  }

  @Override
  public String itemId(PromptSample s) {
    return s.sampleId();
  }

  @Override
  public PartStore<PartRecord> parts() {
    return parts;
  }

  @Override
  public String staleReason(PromptSample s, PartRecord committed, Configuration conf) throws IOException {
    if (!committed.ok()) {
      return "earlier attempt failed: " + committed.error();
    }
    if (committed.seed() != s.seed()) { // a part from before a seed-rule change, or another --base-seed
      return "it was made with seed " + committed.seed() + ", this sample's seed is " + s.seed();
    }
    Path video = cfg.layout().video(s.sampleId());
    FileStatus st;
    try {
      st = video.getFileSystem(conf).getFileStatus(video);
    } catch (java.io.FileNotFoundException e) {
      return "its video was missing";
    }
    if (st.getLen() != committed.videoBytes()) {
      return "its video had " + st.getLen() + " bytes, " + committed.videoBytes() + " were committed";
    }
    if (committed.videoSha256() == null) {
      return "its part had no video checksum";
    }
    String sha = PayloadDigest.of(video, conf);
    return sha.equals(committed.videoSha256()) ? null
        : "its video's sha256 " + sha.substring(0, 12) + "… differed from the committed " + committed.videoSha256()
            .substring(0, 12) + "…";
  }

  @Override
  public List<Generated> process(List<PromptSample> batch, Configuration conf) throws Exception {
    String gpu = TaskDevice.gpuAddress();
    Key key = new Key(cfg.factoryClass(), cfg.modelConfig(), cfg.weightsRoot(), TaskDevice.name(gpu));
    return PIPELINES.run(key, 1, () -> build(key, gpu, conf), loaded -> {
      TextToVideo pipeline = loaded.model();
      ModelIdentity id = pipeline.identity();
      List<VideoRequest> reqs = batch.stream().map(cfg.sampling()::request).toList();
      String batchId = batchId();
      long t0 = System.nanoTime();
      TextToVideo.BatchResult result = pipeline.generateEach(reqs, (k, i) -> { });
      List<Generated> out = new ArrayList<>();
      for (int k = 0; k < reqs.size(); k++) {
        TextToVideo.VideoResult r = result.results().get(k);
        if (r.ok()) {
          out.add(new Generated(r.video(), null, false, id, loaded.instanceId(), batchId, reqs.size(),
              result.encoderPlacements(), t0));
          continue;
        }
        String first = ItemTask.oneLine(r.error());
        LOG.warn("sample {} failed ({}){}", batch.get(k).sampleId(), first,
            cfg.retryWithTiling() ? "; retrying alone with small VAE tiles" : "");
        if (!cfg.retryWithTiling()) {
          out.add(new Generated(null, first, false, id, loaded.instanceId(), batchId, reqs.size(),
              result.encoderPlacements(), t0));
          continue;
        }
        String retryId = batchId();
        TextToVideo.BatchResult retry = pipeline.generateEach(List.of(reqs.get(k).withVaeTiling(true)), (j, i) -> { });
        TextToVideo.VideoResult second = retry.results().get(0);
        out.add(new Generated(second.video(), second.ok() ? null
            : ItemTask.oneLine(second.error()) + " (after a retry with small VAE tiles; first error: " + first + ")",
            true, id, loaded.instanceId(), retryId, 1, retry.encoderPlacements(), t0));
      }
      return out;
    });
  }

  private static String batchId() {
    TaskContext tc = TaskContext.get();
    return executorId() + ":" + (tc == null ? "-" : Long.toString(tc.taskAttemptId())) + ":" + BATCHES.incrementAndGet();
  }

  private static String executorId() {
    return SparkEnv.get() == null ? "driver" : SparkEnv.get().executorId();
  }

  private static int attempt() {
    TaskContext tc = TaskContext.get();
    return tc == null ? 0 : tc.attemptNumber();
  }

  private TextToVideo build(Key key, String gpu, Configuration conf) {
    try {
      String config = ModelFiles.localize(key.modelConfig(), conf);
      String weights = ModelFiles.localize(key.weightsRoot(), conf);
      TextToVideoFactory factory = (TextToVideoFactory) Class.forName(key.factoryClass(), true,
          Thread.currentThread().getContextClassLoader()).getDeclaredConstructor().newInstance();
      return factory.create(config, weights, TaskDevice.device(gpu));
    } catch (IOException | ReflectiveOperationException e) {
      throw new IllegalStateException("cannot load pipeline " + key + ": " + e, e);
    }
  }

  /** Encodes, hashes and uploads the video (video first; the task commits the part after it). */
  @Override
  public PartRecord commitItem(PromptSample p, Generated g, String redone, Configuration conf) throws Exception {
    ModelIdentity id = g.id();
    String gpu = TaskDevice.gpuAddress();
    if (g.video() == null) {
      return new PartRecord(p.prompt().promptId(), p.sample(), PartRecord.FAILED, g.error(), null, 0, null, null, p.seed(), id.variant(),
          id.checkpointDigest(), id.configDigest(), 0, 0, 0, 0, 0, 0, false, g.tiling(), cfg.sampling().magCache(),
          Map.of("total", (System.nanoTime() - g.startNanos()) / 1e6), gpu, executorId(), attempt(), g.instance(),
          g.batchId(), g.batchSize(), g.encoderPlacements(), redone, System.currentTimeMillis(), id.attentionBackend(),
          id.dtype());
    }
    GeneratedVideo video = g.video();
    RunLayout layout = cfg.layout();
    VideoEncoder encoder = VideoEncoder.byName(cfg.encoderClass());
    java.nio.file.Path local = Files.createTempFile(LocalScratch.dir(), p.sampleId() + "-", ".mp4");
    try {
      video.timings().time("encode", () -> {
        try {
          encoder.encode(video.frames(), local);
          return null;
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      String sha = PayloadDigest.of(local);
      String framesSha = PayloadDigest.of(video.frames().rgb());
      Path dest = layout.video(p.sampleId());
      long bytes = video.timings().time("upload", () -> {
        try {
          return FsCommit.commitFile(local, dest, layout.tmp(), conf);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      return new PartRecord(p.prompt().promptId(), p.sample(), PartRecord.OK, null, dest.toString(), bytes, sha, framesSha, p.seed(),
          id.variant(),
          id.checkpointDigest(), id.configDigest(), video.width(), video.height(), video.frames().frames(),
          video.frames().fps(), video.steps(), video.guidanceWeight(), video.promptTruncated(), g.tiling(),
          cfg.sampling().magCache(), video.timings().asMap(), gpu, executorId(), attempt(), g.instance(), g.batchId(),
          g.batchSize(), g.encoderPlacements(), redone, System.currentTimeMillis(), id.attentionBackend(), id.dtype());
    } finally {
      Files.deleteIfExists(local);
    }
  }

  @Override
  public PartRecord failed(PromptSample p, String reason, String redone) {
    return new PartRecord(p.prompt().promptId(), p.sample(), PartRecord.FAILED, reason, null, 0, null, null, p.seed(), null, null, null, 0, 0, 0,
        0, 0, 0, false, false, cfg.sampling().magCache(), Map.of(), TaskDevice.gpuAddress(), executorId(), attempt(),
        null, null, 0, 0, redone, System.currentTimeMillis(), null, null);
  }
}
