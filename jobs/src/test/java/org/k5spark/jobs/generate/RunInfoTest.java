package org.k5spark.jobs.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class RunInfoTest {
  @Test
  void credentialsNeverReachRunJsonAndTheRestIsKept() throws Exception {
    SparkConf sc = new SparkConf(false)
        .set("spark.hadoop.fs.s3a.access.key", "AKIAEXAMPLEKEY")
        .set("spark.hadoop.fs.s3a.secret.key", "very-secret-value")
        .set("spark.hadoop.fs.s3a.session.token", "tok-123")
        .set("spark.executorEnv.HF_TOKEN", "hf_abc")
        .set("spark.executorEnv.api_key", "sk-live-42")
        .set("spark.driver.extraJavaOptions", "-Dfs.s3a.secret.key=S3CR3T -Xmx1g")
        .set("spark.executor.extraJavaOptions", "-Dhttp.proxy=http://proxy:3128 -Dmy.password=hunter2")
        .set("spark.executor.memory", "4g");
    GenerateConfig cfg = JobFixtures.config(List.of("s3a://user:pass@bucket/p.csv"), "/out", "r1", "m.yaml", 0);
    String text = new String(RunInfo.toJson(cfg, sc, "3.5.7", "app-1", Map.of("ok", 1)), StandardCharsets.UTF_8);
    for (String secret : List.of("AKIAEXAMPLEKEY", "very-secret-value", "tok-123", "hf_abc", "sk-live-42", "S3CR3T",
        "hunter2", "user:pass")) {
      assertFalse(text.contains(secret), secret + " leaked: " + text);
    }
    JsonNode conf = new ObjectMapper().readTree(text).get("environment").get("spark_conf");
    assertEquals("[redacted]", conf.get("spark.hadoop.fs.s3a.access.key").asText());
    assertEquals("[redacted]", conf.get("spark.hadoop.fs.s3a.secret.key").asText());
    assertEquals("[redacted]", conf.get("spark.hadoop.fs.s3a.session.token").asText());
    assertEquals("[redacted]", conf.get("spark.executorEnv.HF_TOKEN").asText());
    assertEquals("[redacted]", conf.get("spark.executorEnv.api_key").asText());
    assertEquals("-Dfs.s3a.secret.key=[redacted] -Xmx1g", conf.get("spark.driver.extraJavaOptions").asText());
    assertEquals("-Dhttp.proxy=http://proxy:3128 -Dmy.password=[redacted]",
        conf.get("spark.executor.extraJavaOptions").asText());
    assertEquals("4g", conf.get("spark.executor.memory").asText());
    JsonNode root = new ObjectMapper().readTree(text);
    assertEquals("r1", root.get("run_id").asText());
    assertEquals("s3a://[redacted]@bucket/p.csv", root.get("config").get("prompts").get(0).asText());
    assertEquals(1, root.get("summary").get("ok").asInt());
  }
}
