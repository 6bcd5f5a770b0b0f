package org.k5spark.eval.raft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RaftFlowTest {
  /** Upstream InputPadder(dims, mode='sintel')._pad for these sizes: [left, right, top, bottom]. */
  @Test
  void paddingIsInputPadderSintel() {
    assertArrayEquals(new int[] {0, 0, 0, 0}, RaftFlow.padding(256, 256));
    assertArrayEquals(new int[] {2, 2, 2, 2}, RaftFlow.padding(124, 132));
    // 121 rows: 7 to add, 3 on top and 4 below; 130 columns: 6 to add, 3 + 3
    assertArrayEquals(new int[] {3, 3, 3, 4}, RaftFlow.padding(121, 130));
    assertArrayEquals(new int[] {0, 1, 0, 0}, RaftFlow.padding(512, 767));
  }

  @Test
  void flopCountGrowsWithIterationsAsTheUpdateBlock() {
    double f0 = RaftFlops.perPair(256, 256, 0);
    double f20 = RaftFlops.perPair(256, 256, 20);
    // the update block's convs: 3,118,336 MACs per coarse pixel (sum of RaftLayout's update_block weights)
    double perIter = 2.0 * 3_118_336 * 32 * 32;
    assertTrue(Math.abs((f20 - f0) / 20 - perIter) < 1, (f20 - f0) / 20 + " vs " + perIter);
  }
}
