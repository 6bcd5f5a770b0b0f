package org.k5spark.jobs.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.k5spark.core.cli.ExitCode;
import org.k5spark.eval.cli.CompareCommand;
import org.k5spark.eval.cli.FidelityCommand;
import org.k5spark.eval.cli.ReportCommand;
import org.k5spark.eval.cli.SbsCommand;
import org.k5spark.jobs.generate.GenerateConfig;
import org.k5spark.jobs.generate.GenerateVideosJob;
import org.k5spark.jobs.generate.PromptReader;
import org.k5spark.jobs.generate.PromptSelection;
import org.k5spark.jobs.generate.Sampling;
import org.k5spark.jobs.testing.PatternTextToVideo;
import org.k5spark.jobs.testing.SharedSpark;
import picocli.CommandLine;

/**
 * The demo flow with every run on s3a:// (an in-process S3: s3proxy on 127.0.0.1 over a transient blob store):
 * generate two runs, evaluate both, then compare, report, sbs and fidelity read them from the bucket and write
 * their outputs to it. Slow (two generate + two evaluate jobs, then four commands): run with -Pslow.
 */
@Tag("slow")
class S3DemoFlowTest {
  private static final String BUCKET = "k5-demo";
  private static final String KEY = "demo-access-key";
  private static final String SECRET = "demo-secret-key";
  private static S3Proxy proxy;
  private static BlobStore store;
  private static List<String> conf;

  @BeforeAll
  static void startS3() throws Exception {
    Properties p = new Properties();
    p.setProperty("jclouds.provider", "transient-nio2");
    p.setProperty("jclouds.identity", KEY);
    p.setProperty("jclouds.credential", SECRET);
    store = BlobStores.create("transient-nio2", p);
    store.createContainer(BUCKET);
    proxy = S3Proxy.builder().blobStore(store).awsAuthentication(AuthenticationType.AWS_V2_OR_V4, KEY, SECRET)
        .endpoint(URI.create("http://127.0.0.1:0")).build();
    proxy.start();
    for (int i = 0; i < 100 && !"STARTED".equals(proxy.getState()); i++) {
      Thread.sleep(50);
    }
    // the same settings for the jobs (Spark's Hadoop conf) and the eval commands (--conf, Spark spelling)
    String[][] s3a = {{"fs.s3a.endpoint", "http://127.0.0.1:" + proxy.getPort()}, {"fs.s3a.path.style.access", "true"},
        {"fs.s3a.connection.ssl.enabled", "false"}, {"fs.s3a.access.key", KEY}, {"fs.s3a.secret.key", SECRET},
        {"fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider"},
        {"fs.s3a.endpoint.region", "us-east-1"}, {"fs.s3a.change.detection.version.required", "false"},
        {"fs.s3a.attempts.maximum", "2"}, {"fs.s3a.retry.limit", "2"}};
    Configuration c = SharedSpark.get().sparkContext().hadoopConfiguration();
    conf = new ArrayList<>();
    for (String[] kv : s3a) {
      c.set(kv[0], kv[1]);
      conf.add("--conf");
      conf.add("spark.hadoop." + kv[0] + "=" + kv[1]);
    }
  }

  @AfterAll
  static void stopS3() throws Exception {
    FileSystem.closeAll();
    if (proxy != null) {
      proxy.stop();
    }
  }

  private static List<String> keys(String prefix) {
    return store.list(BUCKET).contents().stream().map(o -> o.key()).filter(k -> k.startsWith(prefix)).sorted().toList();
  }

  private static String object(String key) throws Exception {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/" + key);
    try (var in = p.getFileSystem(SharedSpark.get().sparkContext().hadoopConfiguration()).open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Runs an eval command with the s3a --conf; returns {exit code, stdout, stderr}. */
  private static String[] exec(Callable<Integer> cmd, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(conf);
    CommandLine cl = new CommandLine(cmd);
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int rc = cl.execute(all.toArray(String[]::new));
      return new String[] {Integer.toString(rc), out.toString(StandardCharsets.UTF_8), err.toString()};
    } finally {
      System.setOut(old);
    }
  }

  @Test
  void generateEvaluateCompareReportSbsFidelityAllOnS3a() throws Exception {
    SparkSession spark = SharedSpark.get();
    String root = "s3a://" + BUCKET + "/k5-out";
    String prompts = Path.of("..", "configs", "prompts", "sample.csv").toAbsolutePath().toString();
    String model = Path.of("target/test-classes/fake-model.properties").toAbsolutePath().toString();
    for (String[] run : new String[][] {{"runSeed42", "42"}, {"runSeed7", "7"}}) {
      GenerateVideosJob.run(spark, new GenerateConfig(List.of(prompts), root, run[0], model, null,
          PatternTextToVideo.Factory.class.getName(), GenerateConfig.DEFAULT_ENCODER,
          new PromptReader.Options("prompt", "expanded_prompt", false, "concept", "motion_level", 8000,
              Long.parseLong(run[1])),
          new PromptSelection(null, null, 0, "concept+motion_level", 6), Sampling.defaults(), 2, 0.1, true, 200));
      EvaluateVideosJob.Summary s = EvaluateVideosJob.run(spark, EvaluateConfig.of(root + "/" + run[0]));
      assertEquals(6, s.ok(), s.toString());
    }
    String a = "labelAlpha=" + root + "/runSeed42";
    String b = "labelBeta=" + root + "/runSeed7";

    String[] cmp = exec(new CompareCommand(), "--run", a, "--run", b, "--resamples", "200", "--out", root + "/cmp");
    assertEquals("0", cmp[0], cmp[2]);
    assertEquals(List.of("k5-out/cmp/comparison.json", "k5-out/cmp/rows.csv", "k5-out/cmp/summary.md"),
        keys("k5-out/cmp/"));

    String[] rep = exec(new ReportCommand(), "--run", a, "--run", b, "--resamples", "200", "--sheets-from-videos",
        "--out", root + "/cmp");
    assertEquals("0", rep[0], rep[2]);
    assertTrue(rep[1].contains("reused the statistics of " + root + "/cmp/comparison.json"), rep[1]);
    assertTrue(rep[1].contains("12 contact sheets"), rep[1]);
    String html = object("k5-out/cmp/report.html");
    assertEquals(12, html.split("data:image/png;base64,", -1).length - 1, "one contact sheet per s3a video");
    assertFalse(html.contains(SECRET) || html.contains(KEY));

    String[] sbs = exec(new SbsCommand(), "--copy-videos", "--run", a, "--run", b, "--out", root + "/sbs");
    assertEquals("0", sbs[0], sbs[2]);
    assertEquals("", sbs[2]);
    List<String> files = keys("k5-out/sbs/");
    assertEquals(14, files.size(), files.toString()); // index.html, sbs-key.json, 6 pairs x 2 videos
    String page = object("k5-out/sbs/index.html");
    for (String leak : List.of("labelAlpha", "labelBeta", "runSeed42", "runSeed7", "k5-out", BUCKET)) {
      assertFalse(page.toLowerCase().contains(leak.toLowerCase()), "index.html names " + leak);
      assertTrue(files.stream().map(f -> f.substring("k5-out/sbs/".length()))
          .noneMatch(f -> f.toLowerCase().contains(leak.toLowerCase())), leak + " in " + files);
    }

    String[] fid = exec(new FidelityCommand(), "--reference", root + "/runSeed42", "--candidate", root + "/runSeed7",
        "--out", root + "/fidelity.csv");
    assertEquals(Integer.toString(ExitCode.OK), fid[0], fid[2]);
    assertTrue(fid[1].startsWith("videos compared: 6 (identical: 0; only in reference: 0, only in candidate: 0,"
        + " unreadable: 0)"), fid[1]);
    assertEquals(7, object("k5-out/fidelity.csv").lines().count());
  }
}
