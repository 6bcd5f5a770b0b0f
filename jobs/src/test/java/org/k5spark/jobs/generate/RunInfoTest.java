package org.k5spark.jobs.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class RunInfoTest {
  @Test
  void credentialsNeverReachRunJson() throws Exception {
    SparkConf sc = new SparkConf(false)
        .set("spark.hadoop.fs.s3a.access.key", "AKIAEXAMPLEKEY")
        .set("spark.hadoop.fs.s3a.secret.key", "very-secret-value")
        .set("spark.hadoop.fs.s3a.session.token", "tok-123")
        .set("spark.executorEnv.HF_TOKEN", "hf_abc")
        .set("spark.executor.memory", "4g");
    GenerateConfig cfg = JobFixtures.config(List.of("s3a://user:pass@bucket/p.csv"), "/out", "r1", "m.yaml", 0);
    String json = new String(RunInfo.toJson(cfg, sc, "3.5.7", "app-1", Map.of("ok", 1)), StandardCharsets.UTF_8);
    for (String secret : List.of("AKIAEXAMPLEKEY", "very-secret-value", "tok-123", "hf_abc", "user:pass")) {
      assertFalse(json.contains(secret), secret + " leaked: " + json);
    }
    assertTrue(json.contains("\"spark.executor.memory\" : \"4g\""), json);
    assertTrue(json.contains("\"run_id\" : \"r1\""), json);
    assertTrue(RunInfo.isSecretKey("fs.s3a.secret.key"));
    assertFalse(RunInfo.isSecretKey("spark.executor.cores"));
    assertEquals(5, json.split("redacted", -1).length - 1, "4 secret keys + 1 URI user-info");
  }
}
