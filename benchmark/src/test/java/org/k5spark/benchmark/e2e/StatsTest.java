package org.k5spark.benchmark.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void summaryOfKnownSamples() {
    // numpy: mean 4.0, median 3.5, std(ddof=1) sqrt(((3)^2+(1)^2+(0.5... computed by hand below
    Stats s = Stats.of(6, 1, 3, 4, 2, 8);
    assertEquals(6, s.n());
    assertEquals(4.0, s.mean(), 1e-12);
    assertEquals(3.5, s.median(), 1e-12);
    assertEquals(1, s.min(), 0);
    assertEquals(8, s.max(), 0);
    // squared deviations 4+9+1+0+4+16 = 34, /5 = 6.8
    assertEquals(Math.sqrt(6.8), s.stdev(), 1e-12);
  }

  @Test
  void quantileInterpolatesLikeNumpy() {
    double[] sorted = {1, 2, 3, 4};
    assertEquals(1.75, Stats.quantile(sorted, 0.25), 1e-12); // np.quantile([1,2,3,4], .25)
    assertEquals(4, Stats.quantile(sorted, 1.0), 0);
  }

  @Test
  void singleSampleHasZeroSpreadAndEmptyFails() {
    assertEquals(0, Stats.of(2.5).stdev(), 0);
    assertEquals(2.5, Stats.of(2.5).median(), 0);
    assertEquals("no samples", assertThrows(IllegalArgumentException.class, Stats::of).getMessage());
  }
}
