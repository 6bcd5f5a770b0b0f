package org.k5spark.core.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** CLIP's pooled position: first largest id (legacy eos_token_id 2), else first eos_token_id. */
class ClipPoolingTest {
  @Test
  void legacyRulePicksFirstLargestId() {
    long[] ids = {298, 5, 7, 299, 299, 299, /* row 2 */ 298, 299, 299, 299, 299, 299};
    assertArrayEquals(new int[] {3, 1}, ClipTextEncoder.poolIndex(ids, 2, 6, 2));
  }

  @Test
  void explicitEosPicksItsFirstPosition() {
    long[] ids = {298, 5, 7, 3, 299, 3};
    assertArrayEquals(new int[] {3}, ClipTextEncoder.poolIndex(ids, 1, 6, 3));
  }
}
