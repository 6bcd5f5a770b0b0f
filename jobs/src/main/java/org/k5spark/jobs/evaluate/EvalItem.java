package org.k5spark.jobs.evaluate;

import java.io.Serializable;
import java.util.List;

/**
 * One generated video of a run (sample {@code sample} of prompt {@code promptId}), as its manifest describes it.
 *
 * @param genStatus  the manifest's status (ok | failed); only ok videos are decoded and scored
 * @param videoSha256 the video's SHA-256 as its generation committed it (null in manifests older than the field)
 * @param gpuSeconds model compute time of the generation (text encode + denoise + decode), null if unknown
 */
public record EvalItem(String promptId, int sample, String prompt, List<String> concepts, String motionLevel, Long seed,
    String genStatus, String genError, String videoPath, String videoSha256, Double gpuSeconds)
    implements Serializable {
  public EvalItem {
    concepts = concepts == null ? List.of() : List.copyOf(concepts);
  }

  /** The video's id: its part file name, as the generate job names it ({@code <prompt_id>[-<k>]}). */
  public String itemId() {
    return org.k5spark.jobs.generate.PromptSample.sampleId(promptId, sample);
  }

  public boolean generated() {
    return "ok".equals(genStatus);
  }
}
