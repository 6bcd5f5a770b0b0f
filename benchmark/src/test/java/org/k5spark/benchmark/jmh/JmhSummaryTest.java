package org.k5spark.benchmark.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JmhSummaryTest {
  @Test
  void derivedUnits() throws Exception {
    var om = new ObjectMapper();
    // 200 MB in 400 ms = 0.5 GB/s; 24 frames in 2 s = 12 frames/s;
    // attention L=1024, 4 heads of 64: 2*2*1024^2*256 = 1.074e9 FLOPs in 10 ms = 107.4 GFLOP/s
    assertEquals("0.50 GB/s", JmhSummary.derived("SafetensorsLoadBenchmark.loadAll", om.readTree("{}"), 400));
    assertEquals("12.0 frames/s", JmhSummary.derived("Mp4EncodeBenchmark.encode", om.readTree("{}"), 2000));
    assertEquals("107.4 GFLOP/s",
        JmhSummary.derived("AttentionBenchmark.attend", om.readTree("{\"seqLen\":\"1024\"}"), 10));
  }

  @Test
  void tableFromJmhJson() throws Exception {
    var json = new ObjectMapper().readTree("[{\"benchmark\":\"org.k5spark.benchmark.jmh.Mp4EncodeBenchmark.encode\","
        + "\"params\":{\"size\":\"64x64\"},\"primaryMetric\":{\"score\":100.0,\"scoreError\":\"NaN\"}}]");
    var rows = JmhSummary.table(json);
    assertEquals("| Mp4EncodeBenchmark.encode | size=64x64 | 100.00 | – | 240.0 frames/s |", rows.get(2));
  }
}
