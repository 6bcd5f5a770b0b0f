package org.k5spark.jobs.evaluate;

import java.io.IOException;
import java.util.Map;
import org.k5spark.jobs.spark.items.ItemRecord;
import org.k5spark.jobs.spark.items.PartStore;

/**
 * The committed evaluation of one video, {@code <run>/eval/parts/<sample_id>.json} ({@code promptId} holds the
 * sample id, {@link EvalItem#itemId}: the prompt id for sample 0, so parts from before samples stay valid). {@code videoBytes} is
 * the size of the video that was scored (-1: it did not exist), so a re-run re-scores a video that was
 * regenerated since, and skips everything else.
 *
 * @param status     ok | missing | corrupt | error
 * @param metrics    metric name to value (booleans as 0/1); a null value = not computed
 * @param notComputed metric name to the reason it was not computed
 * @param estimators metric name to the estimator that produced it
 * @param videoSha256 the scored video's SHA-256 as the manifest gives it: a regenerated video is scored again
 * @param redone why an earlier evaluation of this video was not kept (null: there was none)
 */
public record EvalRecord(String promptId, String status, String error, long videoBytes, String videoSha256,
    Map<String, Double> metrics, Map<String, String> estimators, Map<String, String> notComputed, double evalSeconds,
    String device, String executorId, int attempt, String redone, long finishedAtMs) implements ItemRecord {
  public static final String OK = "ok";
  public static final String MISSING = "missing";
  public static final String CORRUPT = "corrupt";
  public static final String ERROR = "error";

  public byte[] toJson() {
    return PartStore.toJson(this);
  }

  public static EvalRecord fromJson(byte[] json) throws IOException {
    return PartStore.fromJson(json, EvalRecord.class);
  }

  @Override
  public String itemId() {
    return promptId;
  }

  public EvalRecord withRedone(String why) {
    return new EvalRecord(promptId, status, error, videoBytes, videoSha256, metrics, estimators, notComputed,
        evalSeconds, device, executorId, attempt, why, finishedAtMs);
  }

  public boolean ok() {
    return OK.equals(status);
  }

  /** Final unless an unexpected exception stopped it: missing and corrupt stay so until the video changes. */
  public boolean settled() {
    return !ERROR.equals(status);
  }
}
