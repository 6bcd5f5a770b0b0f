package org.k5spark.jobs.generate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which accepted prompts a run generates: filters, then a deterministic stratified sample, then a limit.
 * Rejected rows always pass through (the manifest keeps one row per input row).
 *
 * @param concept keep rows whose concept labels contain this label (case-insensitive), null = all
 * @param motionLevel keep rows with this motion level, null = all
 * @param sample stratified sample size, 0 = no sampling
 * @param sampleBy "concept" (first label), "motion_level" or "concept+motion_level" (joint strata)
 * @param limit keep the first N accepted rows in file order after sampling, 0 = no limit
 */
public record PromptSelection(String concept, String motionLevel, int sample, String sampleBy, int limit)
    implements Serializable {
  public static PromptSelection all() {
    return new PromptSelection(null, null, 0, "concept", 0);
  }

  public List<PromptRecord> apply(List<PromptRecord> rows) {
    List<PromptRecord> kept = new ArrayList<>();
    for (PromptRecord r : rows) {
      if (!r.accepted() || matches(r)) {
        kept.add(r);
      }
    }
    if (sample > 0) {
      kept = sample(kept);
    }
    if (limit > 0) {
      List<PromptRecord> limited = new ArrayList<>();
      int n = 0;
      for (PromptRecord r : kept) {
        if (!r.accepted()) {
          limited.add(r);
        } else if (n < limit) {
          limited.add(r);
          n++;
        }
      }
      kept = limited;
    }
    return kept;
  }

  private boolean matches(PromptRecord r) {
    if (concept != null && r.concepts().stream().noneMatch(c -> c.equalsIgnoreCase(concept.strip()))) {
      return false;
    }
    return motionLevel == null || motionLevel.strip().toLowerCase(Locale.ROOT).equals(r.motionLevel());
  }

  /**
   * Largest-remainder allocation of {@code sample} over strata, each stratum ordered by a hash of its
   * prompt ids (so the pick is deterministic and does not depend on file order); output keeps file order.
   */
  private List<PromptRecord> sample(List<PromptRecord> rows) {
    Map<String, List<PromptRecord>> strata = new LinkedHashMap<>();
    int accepted = 0;
    for (PromptRecord r : rows) {
      if (r.accepted()) {
        strata.computeIfAbsent(stratum(r), k -> new ArrayList<>()).add(r);
        accepted++;
      }
    }
    if (accepted <= sample) {
      return rows;
    }
    Map<String, Integer> quota = new LinkedHashMap<>();
    List<Map.Entry<String, Double>> remainders = new ArrayList<>();
    int given = 0;
    for (var e : strata.entrySet()) {
      double exact = (double) sample * e.getValue().size() / accepted;
      int q = (int) Math.floor(exact);
      quota.put(e.getKey(), q);
      given += q;
      remainders.add(Map.entry(e.getKey(), exact - q));
    }
    remainders.sort(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    for (int i = 0; given < sample && i < remainders.size(); i++, given++) {
      quota.merge(remainders.get(i).getKey(), 1, Integer::sum);
    }
    java.util.Set<PromptRecord> chosen = new java.util.HashSet<>();
    for (var e : strata.entrySet()) {
      e.getValue().stream()
          .sorted(Comparator.comparing((PromptRecord r) -> orderKey(r)).thenComparingInt(PromptRecord::sourceLine))
          .limit(quota.get(e.getKey()))
          .forEach(chosen::add);
    }
    List<PromptRecord> out = new ArrayList<>();
    for (PromptRecord r : rows) {
      if (!r.accepted() || chosen.contains(r)) {
        out.add(r);
      }
    }
    return out;
  }

  private String stratum(PromptRecord r) {
    if ("motion_level".equals(sampleBy) || "motion-level".equals(sampleBy)) {
      return r.motionLevel() == null ? "" : r.motionLevel();
    }
    String concept = r.concepts().isEmpty() ? "" : r.concepts().get(0).toLowerCase(Locale.ROOT);
    if ("concept+motion_level".equals(sampleBy)) {
      // joint strata (the nightly subset): every concept x motion cell keeps its share
      return concept + "|" + (r.motionLevel() == null ? "" : r.motionLevel());
    }
    if (!"concept".equals(sampleBy)) {
      throw new IllegalArgumentException("--by must be concept, motion_level or concept+motion_level, got " + sampleBy);
    }
    return concept;
  }

  private static String orderKey(PromptRecord r) {
    return HexFormat.of().formatHex(PromptIds.sha256("sample:" + r.promptId()));
  }
}
