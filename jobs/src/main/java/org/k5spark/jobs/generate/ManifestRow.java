package org.k5spark.jobs.generate;

import java.util.List;
import java.util.Map;

/**
 * One manifest row per sample of an input row (one for a rejected row, {@code sample} null): the input's identity
 * joined with the sample's committed result.
 */
public record ManifestRow(String runId, String promptId, Integer sample, String prompt, List<String> concepts, String motionLevel,
    Long seed, String modelVariant, String checkpointDigest, String configDigest, Integer width, Integer height,
    Integer frames, Double fps, Integer steps, Double guidance, String status, String error, String videoPath,
    Long videoBytes, String videoSha256, String framesSha256, String redone, String sourceFile, int sourceLine, Boolean promptTruncated, Boolean vaeTiling, Boolean magCache,
    Map<String, Double> timingsMs, String gpu, String executorId, Integer attempt, String pipelineInstance) {

  static ManifestRow rejected(String runId, PromptRecord in) {
    return new ManifestRow(runId, null, null, in.prompt(), in.concepts(), in.motionLevel(), null, null, null, null, null,
        null, null, null, null, null, PartRecord.REJECTED, in.rejection(), null, null, null, null, null, in.sourceFile(),
        in.sourceLine(), null, null, null, Map.of(), null, null, null, null);
  }

  static ManifestRow of(String runId, PromptSample sample, PartRecord part) {
    PromptRecord in = sample.prompt();
    if (part == null) {
      return new ManifestRow(runId, in.promptId(), sample.sample(), in.prompt(), in.concepts(), in.motionLevel(),
          sample.seed(), null, null,
          null, null, null, null, null, null, null, PartRecord.FAILED, "no result committed (task failed or job aborted)",
          null, null, null, null, null, in.sourceFile(), in.sourceLine(), null, null, null, Map.of(), null, null, null, null);
    }
    boolean ok = part.ok();
    return new ManifestRow(runId, in.promptId(), sample.sample(), in.prompt(), in.concepts(), in.motionLevel(),
        part.seed(),
        part.modelVariant(), part.checkpointDigest(), part.configDigest(), ok ? part.width() : null,
        ok ? part.height() : null, ok ? part.frames() : null, ok ? part.fps() : null, ok ? part.steps() : null,
        ok ? part.guidance() : null, part.status(), part.error(), part.videoPath(), ok ? part.videoBytes() : null,
        ok ? part.videoSha256() : null, ok ? part.framesSha256() : null, part.redone(), in.sourceFile(), in.sourceLine(), ok ? part.promptTruncated() : null, part.vaeTiling(),
        ok ? part.magCache() : null,
        part.timingsMs() == null ? Map.of() : part.timingsMs(), part.gpu(), part.executorId(), part.attempt(),
        part.pipelineInstance());
  }
}
