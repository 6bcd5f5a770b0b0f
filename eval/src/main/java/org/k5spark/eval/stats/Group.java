package org.k5spark.eval.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A slice of the prompt set an aggregate is computed over: everything, one concept label, or one
 * motion level. An item with several concept labels belongs to each of its label groups, so concept
 * groups overlap and their sizes can sum to more than the overall count.
 */
public record Group(Kind kind, String label) {
  public enum Kind { OVERALL, CONCEPT, MOTION }

  public static final Group OVERALL = new Group(Kind.OVERALL, "all");

  @Override
  public String toString() {
    return kind == Kind.OVERALL ? "overall" : kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + label;
  }

  /**
   * Splits items into groups: OVERALL first, then concept labels and motion levels, each in
   * first-seen order. Items without labels / with an empty motion level only count overall.
   */
  public static <T> Map<Group, List<T>> split(List<T> items, Function<T, List<String>> concepts,
      Function<T, String> motion) {
    Map<Group, List<T>> out = new LinkedHashMap<>();
    out.put(OVERALL, new ArrayList<>(items));
    Map<Group, List<T>> byConcept = new LinkedHashMap<>();
    Map<Group, List<T>> byMotion = new LinkedHashMap<>();
    for (T item : items) {
      for (String c : concepts.apply(item)) {
        byConcept.computeIfAbsent(new Group(Kind.CONCEPT, c), k -> new ArrayList<>()).add(item);
      }
      String m = motion.apply(item);
      if (m != null && !m.isBlank()) {
        byMotion.computeIfAbsent(new Group(Kind.MOTION, m), k -> new ArrayList<>()).add(item);
      }
    }
    out.putAll(byConcept);
    out.putAll(byMotion);
    return out;
  }
}
