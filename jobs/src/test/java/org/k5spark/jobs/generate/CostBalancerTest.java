package org.k5spark.jobs.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostBalancerTest {
  private static PromptRecord p(String text) {
    String id = PromptIds.promptId(text);
    return new PromptRecord(id, text, List.of(), null, 1, "t.csv", 1, null);
  }

  @Test
  void longestFirstPackingBalancesEstimatedCost() {
    List<PromptRecord> prompts = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      prompts.add(p("prompt " + i));
    }
    // costs 1..10 (by index): total 55 over 3 partitions -> LPT gives loads within the largest item
    java.util.function.ToDoubleFunction<PromptRecord> cost = r -> Integer.parseInt(r.prompt().substring(7)) + 1;
    List<List<PromptRecord>> buckets = CostBalancer.balance(prompts, 3, cost);
    assertEquals(3, buckets.size());
    double[] loads = buckets.stream().mapToDouble(b -> b.stream().mapToDouble(cost).sum()).toArray();
    assertEquals(55, java.util.Arrays.stream(loads).sum());
    double max = java.util.Arrays.stream(loads).max().orElseThrow();
    double min = java.util.Arrays.stream(loads).min().orElseThrow();
    assertTrue(max - min <= 1, java.util.Arrays.toString(loads));
    // deterministic and independent of input order
    List<PromptRecord> reversed = new ArrayList<>(prompts);
    java.util.Collections.reverse(reversed);
    assertEquals(buckets, CostBalancer.balance(reversed, 3, cost));
    assertEquals(2, CostBalancer.balance(prompts.subList(0, 2), 8, cost).size(), "never more partitions than prompts");
  }
}
