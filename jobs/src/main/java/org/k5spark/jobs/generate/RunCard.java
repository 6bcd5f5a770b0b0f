package org.k5spark.jobs.generate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.sampler.FlowMatchingSampler;
import org.k5spark.eval.compare.PromptMeans;

/**
 * The run card: everything that makes two runs comparable, as the {@code protocol} object of run.json (flat keys,
 * so {@code k5 evaluate} can carry it into the metrics table as {@code config.protocol.*} columns and
 * {@code k5 compare} can name the keys that differ). Two runs are comparable when their cards differ only in
 * {@code checkpoint.*}.
 *
 * <p>Sampling values (steps, size, frames, ...) are what the committed videos were made with, not what was asked:
 * a resumed run whose settings changed between invocations shows {@code mixed: a | b}.
 */
public final class RunCard {
  /** How sample seeds are derived ({@link PromptIds#seed}, {@link PromptIds#sampleSeed}). */
  public static final String SEED_RULE = "prompt seed = first 31 bits of sha256(\"<base_seed>:<prompt_id>\");"
      + " sample k seed = (prompt seed + k) mod 2^31";
  /** Keys that may differ between compared runs: the checkpoint is what a comparison compares. */
  public static final String CHECKPOINT_PREFIX = "checkpoint.";

  /** One prompt file as read: its SHA-256, rows (accepted and rejected) and format ({@link PromptSuites}). */
  public record PromptFile(String name, String sha256, int rows, String format) {}

  private RunCard() {}

  /**
   * @param model the parsed model config (null when a custom factory's config is not a k5 YAML)
   * @param distinctPrompts accepted distinct prompts after selection
   * @param parts the run's committed parts (empty before the first stage)
   */
  public static Map<String, Object> protocol(GenerateConfig cfg, List<PromptFile> files, int distinctPrompts,
      ModelConfig model, Collection<PartRecord> parts) {
    List<PartRecord> ok = parts.stream().filter(PartRecord::ok)
        .sorted(Comparator.comparing(PartRecord::itemId)).toList();
    Sampling s = cfg.sampling();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("prompts.digest", promptsDigest(files));
    m.put("prompts.rows", files.stream().mapToInt(PromptFile::rows).sum());
    m.put("prompts.format", String.join(",", new LinkedHashSet<>(files.stream().map(PromptFile::format).toList())));
    m.put("prompts.selection", selection(cfg.selection()));
    m.put("prompts.distinct", distinctPrompts);
    PromptReader.Options r = cfg.readerOptions();
    m.put("prompts.expansion", r.useExpanded() ? "column " + r.expandedColumn() + " (--use-expanded)" : "none");
    m.put("samples_per_prompt", s.samplesPerPrompt());
    m.put("seed_rule", SEED_RULE);
    m.put("base_seed", r.baseSeed());
    m.put("steps", made(ok, PartRecord::steps, s.steps() != null ? s.steps() : model == null ? null : model.numSteps()));
    m.put("guidance", made(ok, PartRecord::guidance,
        s.guidance() != null ? s.guidance() : model == null ? null : model.guidanceWeight()));
    m.put("scheduler_scale", model == null ? null : model.metrics().schedulerScale());
    m.put("negative_prompt", s.negativePrompt() != null ? s.negativePrompt()
        : FlowMatchingSampler.DEFAULT_NEGATIVE_PROMPT);
    m.put("width", made(ok, PartRecord::width, s.width()));
    m.put("height", made(ok, PartRecord::height, s.height()));
    m.put("frames", made(ok, PartRecord::frames, null));
    m.put("fps", made(ok, PartRecord::fps, model == null ? null : model.fps()));
    m.put("attention", model == null ? null : attention(model));
    m.put("attention_backend", made(ok, PartRecord::attentionBackend, null));
    m.put("magcache", s.magCache());
    m.put("dtype", made(ok, PartRecord::dtype, null));
    m.put("aggregation", PromptMeans.RULE);
    m.put(CHECKPOINT_PREFIX + "variant", made(ok, PartRecord::modelVariant, model == null ? null : model.variant()));
    m.put(CHECKPOINT_PREFIX + "digest", made(ok, PartRecord::checkpointDigest, null));
    m.put(CHECKPOINT_PREFIX + "config_digest", made(ok, PartRecord::configDigest, null));
    return m;
  }

  /** One file: its own digest; several: sha256 over their digests in order (file names do not count). */
  static String promptsDigest(List<PromptFile> files) {
    if (files.size() == 1) {
      return files.get(0).sha256();
    }
    String joined = String.join("\n", files.stream().map(PromptFile::sha256).toList());
    return "sha256:" + HexFormat.of().formatHex(PromptIds.sha256(joined));
  }

  private static String selection(PromptSelection p) {
    List<String> parts = new ArrayList<>();
    if (p.concept() != null) {
      parts.add("concept=" + p.concept());
    }
    if (p.motionLevel() != null) {
      parts.add("motion_level=" + p.motionLevel());
    }
    if (p.sample() > 0) {
      parts.add("sample=" + p.sample() + " by " + p.sampleBy());
    }
    if (p.limit() > 0) {
      parts.add("limit=" + p.limit());
    }
    return parts.isEmpty() ? "all" : String.join(", ", parts);
  }

  private static String attention(ModelConfig model) {
    var a = model.attention();
    return "flash".equals(a.type()) ? "flash (dense)"
        : a.type() + " P=" + a.p() + " wT=" + a.wT() + " wH=" + a.wH() + " wW=" + a.wW();
  }

  /** The value every committed video shares, "mixed: a | b" when they differ, {@code fallback} when none is. */
  private static Object made(List<PartRecord> ok, Function<PartRecord, Object> get, Object fallback) {
    Set<Object> values = new LinkedHashSet<>();
    for (PartRecord p : ok) {
      Object v = get.apply(p);
      if (v != null) {
        values.add(v);
      }
    }
    if (values.isEmpty()) {
      return fallback;
    }
    if (values.size() == 1) {
      return values.iterator().next();
    }
    return "mixed: " + String.join(" | ", values.stream().map(String::valueOf).toList());
  }
}
