package org.k5spark.jobs.generate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One video of a run: sample {@code sample} (0-based) of an accepted prompt, the generate job's item.
 * Sample 0 is stored as {@code <prompt_id>} (the name a one-sample run has always used, so a K=1 run is the first
 * sample of any K run and growing K keeps it); sample k &gt; 0 as {@code <prompt_id>-<k>}. Prompt ids are 16 hex
 * digits, so the two never collide.
 *
 * @param seed {@link PromptIds#sampleSeed}: the prompt's seed plus k, so sample k keeps its seed when K grows
 */
public record PromptSample(PromptRecord prompt, int sample, long seed) implements Serializable {
  public PromptSample {
    if (!prompt.accepted() || sample < 0) {
      throw new IllegalArgumentException("sample " + sample + " of a rejected prompt or negative index");
    }
  }

  /** The item id: part file and video name, and the evaluation's key. */
  public String sampleId() {
    return sampleId(prompt.promptId(), sample);
  }

  public static String sampleId(String promptId, int sample) {
    return sample == 0 ? promptId : promptId + "-" + sample;
  }

  /** Samples 0..k-1 of an accepted prompt. */
  public static List<PromptSample> of(PromptRecord p, int k) {
    List<PromptSample> out = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      out.add(new PromptSample(p, i, PromptIds.sampleSeed(p.seed(), i)));
    }
    return out;
  }
}
