package org.k5spark.core.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** get_dec_optimal_tiling on known shapes (values from the reference's tables / the golden cases' recorded state). */
class TilingPlanTest {
  @Test
  void smallClipIsOneTile() {
    // decode_small: tiling_state_after_decode tile_size [1, 9, 32, 48], stride 9 frames
    assertEquals(new TilingPlan(9, 32, 48, 9, 32, 48), TilingPlan.optimal(3, 4, 6));
  }

  @Test
  void longSmallClipUsesTemporalTable() {
    // decode_tiled_temporal: 101 frames -> OPT_TEMPORAL_TILING[101] = (21, 16)
    TilingPlan p = TilingPlan.optimal(26, 2, 2);
    assertEquals(new TilingPlan(21, 16, 16, 16, 16, 16), p);
    assertEquals(20, p.minFrames());
  }

  @Test
  void realResolutions() {
    // 5 s at 24 fps = 121 frames -> 31 latent frames; 512x768 -> 64x96 latent; sqrt(512*768) = 627 >= 450
    assertEquals(new TilingPlan(17, 512, 768, 8, 512, 768), TilingPlan.optimal(31, 64, 96));
    // 10 s: 241 frames -> (17, 8)
    assertEquals(new TilingPlan(17, 512, 768, 8, 512, 768), TilingPlan.optimal(61, 64, 96));
    // 25 frames above 450 px -> (17, 8); 29 -> (17, 12)
    assertEquals(new TilingPlan(17, 512, 768, 8, 512, 768), TilingPlan.optimal(7, 64, 96));
    assertEquals(new TilingPlan(17, 512, 768, 12, 512, 768), TilingPlan.optimal(8, 64, 96));
    // 1024x1024 (sqrt > 900): spatial table (544, 480) both ways
    assertEquals(new TilingPlan(17, 544, 544, 8, 480, 480), TilingPlan.optimal(31, 128, 128));
    // 1280x768 -> sqrt = 991: height 1280 -> (672, 608), width 768 -> (416, 352)
    assertEquals(new TilingPlan(21, 672, 416, 12, 608, 352), TilingPlan.optimal(33, 160, 96));
    // below 450 px but more than 97 frames still reads the table
    assertEquals(new TilingPlan(21, 160, 160, 12, 160, 160), TilingPlan.optimal(33, 20, 20));
  }

  @Test
  void missingTableEntryIsAClearError() {
    // 5 frames are not in OPT_TEMPORAL_TILING (KeyError in the reference)
    var e = assertThrows(IllegalArgumentException.class, () -> TilingPlan.optimal(2, 64, 96));
    assertTrue(e.getMessage().contains("frame count 5"), e.getMessage());
    // 1200 px is not in OPT_SPATIAL_TILING
    var s = assertThrows(IllegalArgumentException.class, () -> TilingPlan.optimal(31, 150, 128));
    assertTrue(s.getMessage().contains("height 1200"), s.getMessage());
  }

  @Test
  void tilingSpecParses() {
    assertEquals(VaeTiling.AUTO, VaeTiling.parse("auto"));
    assertEquals(VaeTiling.OFF, VaeTiling.parse("off"));
    VaeTiling f = VaeTiling.parse("9,32,32/4,24,24");
    assertEquals(new TilingPlan(9, 32, 32, 4, 24, 24), f.override());
    assertEquals("9,32,32/4,24,24", f.toString());
    assertThrows(IllegalArgumentException.class, () -> VaeTiling.parse("9,32/4,24,24"));
  }
}
