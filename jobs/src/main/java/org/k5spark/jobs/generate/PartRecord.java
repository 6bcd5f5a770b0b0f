package org.k5spark.jobs.generate;

import java.io.IOException;
import java.util.Map;
import org.k5spark.jobs.spark.items.ItemRecord;
import org.k5spark.jobs.spark.items.PartStore;

/**
 * The committed result of one sample of a prompt, written atomically as {@code <run>/parts/<sample_id>.json}
 * after its video. The manifest is assembled from these files, so task retries and speculative
 * attempts (which rewrite the same file name) can never add a row. Parts written before a field existed read
 * it as its default (false / 0 / null).
 *
 * @param sample the sample index of the prompt ({@link PromptSample}); parts older than the field read 0
 * @param videoSha256 SHA-256 of the committed video; a re-run redoes the prompt when the stored video differs
 * @param framesSha256 SHA-256 of the generated RGB frames before encoding: equal for equal settings and seed,
 *     whatever batch, partition or attempt made them (the H.264 bytes need not be: the encoder is not bit-stable)
 * @param redone why an earlier committed result of this prompt was not kept (null: it had none, or it failed)
 * @param attentionBackend the DiT attention implementation and {@code dtype} its compute dtype
 *     ({@link org.k5spark.core.pipeline.ModelIdentity}); null in parts older than the fields or of failed items
 * @param batchId the batch of this prompt in its task ({@code <executor>:<task attempt id>:<n>}); one text-encoder
 *     placement of {@code encoderPlacements} served its {@code batchSize} prompts
 */
public record PartRecord(String promptId, int sample, String status, String error, String videoPath, long videoBytes,
    String videoSha256, String framesSha256, long seed, String modelVariant, String checkpointDigest, String configDigest, int width,
    int height, int frames, double fps, int steps, double guidance, boolean promptTruncated, boolean vaeTiling,
    boolean magCache, Map<String, Double> timingsMs, String gpu, String executorId, int attempt,
    String pipelineInstance, String batchId, int batchSize, int encoderPlacements, String redone, long finishedAtMs,
    String attentionBackend, String dtype) implements ItemRecord {
  public static final String OK = "ok";
  public static final String FAILED = "failed";
  public static final String REJECTED = "rejected";

  public byte[] toJson() {
    return PartStore.toJson(this);
  }

  public static PartRecord fromJson(byte[] json) throws IOException {
    return PartStore.fromJson(json, PartRecord.class);
  }

  @Override
  public String itemId() {
    return PromptSample.sampleId(promptId, sample);
  }

  public boolean ok() {
    return OK.equals(status);
  }
}
