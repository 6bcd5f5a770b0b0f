package org.k5spark.jobs.generate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.ToDoubleFunction;

/** Longest-processing-time-first packing of prompts into partitions of near-equal estimated cost. */
public final class CostBalancer {
  private CostBalancer() {}

  public static List<List<PromptRecord>> balance(List<PromptRecord> prompts, int partitions,
      ToDoubleFunction<PromptRecord> cost) {
    int n = Math.max(1, Math.min(partitions, prompts.size()));
    List<List<PromptRecord>> buckets = new ArrayList<>();
    double[] load = new double[n];
    PriorityQueue<Integer> lightest = new PriorityQueue<>(
        Comparator.<Integer>comparingDouble(i -> load[i]).thenComparingInt(i -> i));
    for (int i = 0; i < n; i++) {
      buckets.add(new ArrayList<>());
      lightest.add(i);
    }
    List<PromptRecord> sorted = new ArrayList<>(prompts);
    // stable tie-break on prompt id keeps the assignment identical across re-runs
    sorted.sort(Comparator.comparingDouble(cost).reversed().thenComparing(PromptRecord::promptId));
    for (PromptRecord p : sorted) {
      int b = lightest.poll();
      buckets.get(b).add(p);
      load[b] += cost.applyAsDouble(p);
      lightest.add(b);
    }
    buckets.removeIf(List::isEmpty);
    return buckets;
  }
}
