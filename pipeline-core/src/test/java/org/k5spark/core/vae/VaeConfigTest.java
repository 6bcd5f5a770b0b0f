package org.k5spark.core.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class VaeConfigTest {
  @Test
  void upsamplingFollowsTheReferenceRule() throws Exception {
    VaeConfig c = VaeConfig.fromJson(new ObjectMapper().readTree(TinyVae.CONFIG.toJson()), "tiny");
    // n = 4, ratios 8/4: (1,2,2), (2,2,2), (2,2,2), none
    assertArrayEquals(new int[] {1, 2, 2}, c.upFactor(0));
    assertArrayEquals(new int[] {2, 2, 2}, c.upFactor(1));
    assertArrayEquals(new int[] {2, 2, 2}, c.upFactor(2));
    assertNull(c.upFactor(3));
    assertEquals(121, c.pixelFrames(31));
    assertEquals(8, c.pixelScale());
  }

  @Test
  void badFieldsAreNamed() throws Exception {
    ObjectMapper om = new ObjectMapper();
    ObjectNode n = (ObjectNode) om.readTree(TinyVae.CONFIG.toJson());
    n.put("temporal_compression_ratio", 8);
    var e = assertThrows(IllegalArgumentException.class, () -> VaeConfig.fromJson(n, "x/config.json"));
    assertTrue(e.getMessage().contains("x/config.json") && e.getMessage().contains("temporal_compression_ratio"),
        e.getMessage());
    ObjectNode g = (ObjectNode) om.readTree(TinyVae.CONFIG.toJson());
    g.put("norm_num_groups", 5);
    var e2 = assertThrows(IllegalArgumentException.class, () -> VaeConfig.fromJson(g, "y"));
    assertTrue(e2.getMessage().contains("block_out_channels"), e2.getMessage());
    ObjectNode t = (ObjectNode) om.readTree(TinyVae.CONFIG.toJson());
    t.putArray("up_block_types").add("UpDecoderBlock2D").add("x").add("y").add("z");
    var e3 = assertThrows(IllegalArgumentException.class, () -> VaeConfig.fromJson(t, "z"));
    assertTrue(e3.getMessage().contains("up_block_types"), e3.getMessage());
  }
}
