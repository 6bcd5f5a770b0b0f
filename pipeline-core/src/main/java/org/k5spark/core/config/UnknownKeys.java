package org.k5spark.core.config;

import java.util.Collection;

/**
 * The one wording of "this config file has a key nobody reads", for model YAMLs and job YAMLs alike:
 * {@code FILE: unknown key 'guidance_weigth' (did you mean 'guidance_weight'?)}. A misspelt key would otherwise
 * be ignored and the run would silently use the default.
 */
public final class UnknownKeys {
  private UnknownKeys() {}

  public static String message(String source, String key, Collection<String> known) {
    String near = nearest(key, known);
    return source + ": unknown key '" + key + "'" + (near == null ? "" : " (did you mean '" + near + "'?)");
  }

  /** The known key with the smallest edit distance (ties: the first in {@code known}'s order); null if none. */
  static String nearest(String key, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = levenshtein(key.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best;
  }

  /**
   * Plain two-row Levenshtein distance. Written here rather than taken from commons-text because pipeline-core
   * does not otherwise depend on it, and commons-text drags a commons-lang3 version that must match Spark's.
   */
  static int levenshtein(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
