package org.k5spark.jobs.evaluate;

import java.io.Serializable;
import java.util.List;

/**
 * One distinct generated prompt of a run, as its manifest describes it.
 *
 * @param genStatus  the manifest's status (ok | failed); only ok videos are decoded and scored
 * @param videoSha256 the video's SHA-256 as its generation committed it (null in manifests older than the field)
 * @param gpuSeconds model compute time of the generation (text encode + denoise + decode), null if unknown
 */
public record EvalItem(String promptId, String prompt, List<String> concepts, String motionLevel, Long seed,
    String genStatus, String genError, String videoPath, String videoSha256, Double gpuSeconds)
    implements Serializable {
  public EvalItem {
    concepts = concepts == null ? List.of() : List.copyOf(concepts);
  }

  public boolean generated() {
    return "ok".equals(genStatus);
  }
}
