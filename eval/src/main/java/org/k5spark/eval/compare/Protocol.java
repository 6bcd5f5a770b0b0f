package org.k5spark.eval.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The comparison protocol of a run, read from its metrics table's {@code config.*} columns: the generate job's run
 * card ({@code protocol.*}: prompt file digest and rows, expansion, samples per prompt and seed rule, steps,
 * guidance, scheduler_scale, negative prompt, size, frames, fps, attention, MagCache, dtype, aggregation) and how
 * it was scored ({@code estimator.*}, {@code eval_weights*}). Runs are comparable when these agree in everything
 * but the checkpoint ({@code protocol.checkpoint.*} and the manifest's model_variant / checkpoint_digest /
 * config_digest), which is what a comparison compares.
 *
 * <p>Metrics tables older than the run card have no {@code protocol.*} keys; their manifest columns (steps,
 * guidance, width, height, frames, fps, magcache) are compared instead.
 */
public final class Protocol {
  public static final String PREFIX = "protocol.";
  static final Set<String> CHECKPOINT_KEYS = Set.of("model_variant", "checkpoint_digest", "config_digest");
  static final List<String> LEGACY_KEYS = List.of("width", "height", "frames", "fps", "steps", "guidance", "magcache");
  private static final int VALUE_CHARS = 60;

  /** A protocol key whose value differs between runs: value per run label (null: the run does not record it). */
  public record Difference(String key, Map<String, String> values) {
    @Override
    public String toString() {
      List<String> parts = new ArrayList<>();
      values.forEach((run, v) -> parts.add(run + "=" + (v == null ? "(absent)" : abbreviate(v))));
      return key + " (" + String.join(", ", parts) + ")";
    }
  }

  private Protocol() {}

  /** The protocol entries of a run's config, checkpoint keys left out. */
  public static Map<String, String> of(RunTable run) {
    Map<String, String> c = run.config();
    boolean card = c.keySet().stream().anyMatch(k -> k.startsWith(PREFIX));
    Map<String, String> out = new LinkedHashMap<>();
    c.forEach((k, v) -> {
      boolean protocol = card ? k.startsWith(PREFIX) && !k.startsWith(PREFIX + "checkpoint.") : LEGACY_KEYS.contains(k);
      if (protocol || k.startsWith("estimator.") || k.startsWith("eval_weights")) {
        out.put(card && k.startsWith(PREFIX) ? k.substring(PREFIX.length()) : k, v);
      }
    });
    return out;
  }

  /** Every protocol key on which some run differs from the first, in first-seen key order. */
  public static List<Difference> differences(List<RunTable> runs) {
    List<Map<String, String>> protocols = runs.stream().map(Protocol::of).toList();
    Set<String> keys = new LinkedHashSet<>();
    protocols.forEach(p -> keys.addAll(p.keySet()));
    List<Difference> out = new ArrayList<>();
    for (String k : keys) {
      String first = protocols.get(0).get(k);
      if (protocols.stream().anyMatch(p -> !Objects.equals(first, p.get(k)))) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
          values.put(runs.get(i).runId(), protocols.get(i).get(k));
        }
        out.add(new Difference(k, values));
      }
    }
    return out;
  }

  /** The differing keys, comma-separated ("steps, guidance"), for labels. */
  public static String keys(List<Difference> diffs) {
    return String.join(", ", diffs.stream().map(Difference::key).toList());
  }

  /** The one-line refusal for runs whose protocols differ, null when they agree. */
  public static String refusal(List<RunTable> runs) {
    List<Difference> d = differences(runs);
    if (d.isEmpty()) {
      return null;
    }
    return "runs " + String.join(", ", runs.stream().map(RunTable::runId).toList())
        + " were made under different protocols, differing in " + keys(d) + ": "
        + String.join("; ", d.stream().map(Difference::toString).toList())
        + " (pass --allow-protocol-mismatch to compare them anyway, labelled as such)";
  }

  private static String abbreviate(String v) {
    String one = v.replaceAll("\\s+", " ");
    return one.length() <= VALUE_CHARS ? one : one.substring(0, VALUE_CHARS) + "…";
  }
}
