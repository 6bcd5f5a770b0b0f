package org.k5spark.jobs.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.k5spark.jobs.testing.SharedSpark;

/** The generate job against an in-process S3 (s3proxy on 127.0.0.1) through s3a:// with path-style access. */
class S3GenerateTest {
  private static final String BUCKET = "k5-bucket";
  private static S3Proxy proxy;
  private static BlobStore store;

  @BeforeAll
  static void startS3() throws Exception {
    Properties p = new Properties();
    p.setProperty("jclouds.provider", "transient-nio2");
    p.setProperty("jclouds.identity", "test-access-key");
    p.setProperty("jclouds.credential", "test-secret-key");
    store = BlobStores.create("transient-nio2", p);
    store.createContainer(BUCKET);
    proxy = S3Proxy.builder().blobStore(store)
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "test-access-key", "test-secret-key")
        .endpoint(URI.create("http://127.0.0.1:0")).build();
    proxy.start();
    for (int i = 0; i < 100 && !"STARTED".equals(proxy.getState()); i++) {
      Thread.sleep(50);
    }
    Configuration c = SharedSpark.get().sparkContext().hadoopConfiguration();
    c.set("fs.s3a.endpoint", "http://127.0.0.1:" + proxy.getPort());
    c.set("fs.s3a.path.style.access", "true");
    c.set("fs.s3a.connection.ssl.enabled", "false");
    c.set("fs.s3a.access.key", "test-access-key");
    c.set("fs.s3a.secret.key", "test-secret-key");
    c.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    c.set("fs.s3a.endpoint.region", "us-east-1");
    c.set("fs.s3a.change.detection.version.required", "false");
    c.set("fs.s3a.attempts.maximum", "2");
    c.set("fs.s3a.retry.limit", "2");
  }

  @AfterAll
  static void stopS3() throws Exception {
    FileSystem.closeAll();
    if (proxy != null) {
      proxy.stop();
    }
  }

  private static List<String> keys() {
    return store.list(BUCKET).contents().stream().map(o -> o.key()).sorted().toList();
  }

  @Test
  void remoteModelFilesAreCopiedOnceAndRefetchedWhenReplaced() throws Exception {
    Configuration conf = SharedSpark.get().sparkContext().hadoopConfiguration();
    org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/models/cache-test.yaml");
    FileSystem s3 = remote.getFileSystem(conf);
    try (var out = s3.create(remote, true)) {
      out.write("version: 1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    Path cache = Files.createTempDirectory("k5-model-cache");
    String first = org.k5spark.jobs.spark.ModelFiles.localize(remote.toString(), conf, cache);
    assertEquals("version: 1\n", Files.readString(Path.of(first)));
    assertEquals(first, org.k5spark.jobs.spark.ModelFiles.localize(remote.toString(), conf, cache), "cached");
    Thread.sleep(1100); // object stores keep second-resolution modification times
    try (var out = s3.create(remote, true)) {
      out.write("version: 22\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    String second = org.k5spark.jobs.spark.ModelFiles.localize(remote.toString(), conf, cache);
    assertTrue(!first.equals(second), "a replaced model is fetched again");
    assertEquals("version: 22\n", Files.readString(Path.of(second)));
  }

  @Test
  void generatesToS3WithModelAndPromptsReadFromS3AndLeavesNoTemporaries() throws Exception {
    SparkSession spark = SharedSpark.get();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    FileSystem s3 = new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/").getFileSystem(conf);
    // prompts and the model config live in the bucket too: executors localise the model once
    s3.copyFromLocalFile(new org.apache.hadoop.fs.Path(Path.of("..", "configs", "prompts", "sample.csv").toAbsolutePath().toUri()),
        new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/prompts/sample.csv"));
    s3.copyFromLocalFile(new org.apache.hadoop.fs.Path(JobFixtures.resource("fake-model.properties").toUri()),
        new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/models/s3-fake.properties"));

    GenerateConfig cfg = JobFixtures.config(List.of("s3a://" + BUCKET + "/prompts/sample.csv"), "s3a://" + BUCKET + "/k5",
        "s3run", "s3a://" + BUCKET + "/models/s3-fake.properties", 3);
    RunSummary s = GenerateVideosJob.run(spark, cfg);
    assertEquals(16, s.ok());
    assertEquals(16, s.generated());

    List<String> keys = keys();
    assertEquals(16, keys.stream().filter(k -> k.matches("k5/s3run/videos/[0-9a-f]{16}\\.mp4")).count(), keys.toString());
    assertEquals(16, keys.stream().filter(k -> k.matches("k5/s3run/parts/[0-9a-f]{16}\\.json")).count(), keys.toString());
    assertTrue(keys.contains("k5/s3run/manifest.csv") && keys.contains("k5/s3run/run.json"), keys.toString());
    assertTrue(keys.stream().anyMatch(k -> k.startsWith("k5/s3run/manifest.parquet/part-")), keys.toString());
    assertTrue(keys.stream().noneMatch(k -> k.contains("_tmp") || k.contains(".tmp") || k.contains("_temporary")
        || k.contains("__magic") || k.contains(".pending")), "temporary objects left: " + keys);

    List<CSVRecord> rows = JobFixtures.manifest(s3, cfg.layout().manifestCsv());
    assertEquals(16, rows.size());
    for (CSVRecord r : rows.subList(0, 4)) {
      assertTrue(r.get("video_path").startsWith("s3a://" + BUCKET + "/k5/s3run/videos/"), r.get("video_path"));
      JobFixtures.assertVideo(s3, new org.apache.hadoop.fs.Path(r.get("video_path")), Long.parseLong(r.get("seed")), 8);
    }
    assertEquals(16, spark.read().parquet("s3a://" + BUCKET + "/k5/s3run/manifest.parquet").count());
    String runJson = new String(s3.open(cfg.layout().runJson()).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertFalse(runJson.contains("test-secret-key"), runJson);

    RunSummary again = GenerateVideosJob.run(spark, cfg);
    assertEquals(0, again.generated());
    assertEquals(16, again.skipped());
    assertEquals(keys.stream().filter(k -> k.contains("/videos/")).toList(),
        keys().stream().filter(k -> k.contains("/videos/")).toList());
    assertTrue(Files.exists(Path.of(System.getProperty("java.io.tmpdir"), "k5-generate", "k5-models")),
        "the s3a model config was copied to local disk");
  }
}
