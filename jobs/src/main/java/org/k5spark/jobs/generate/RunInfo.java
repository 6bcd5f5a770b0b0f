package org.k5spark.jobs.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;

/** run.json: the run's configuration and environment, with anything credential-like redacted. */
public final class RunInfo {
  /** Keys that may carry secrets (s3a keys, tokens, passwords); their values never reach run.json. */
  private static final Pattern SECRET_KEY = Pattern.compile(
      "(?i).*(secret|password|passwd|token|credential|access[._-]?key|session[._-]?key|private[._-]?key|signature|auth).*");
  static final String REDACTED = "*****(redacted)";

  private RunInfo() {}

  public static boolean isSecretKey(String key) {
    return SECRET_KEY.matcher(key).matches();
  }

  public static byte[] toJson(GenerateConfig cfg, SparkConf sparkConf, String sparkVersion, String applicationId,
      Map<String, Object> summary)
      throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("run_id", cfg.runId());
    root.put("config", redact(configMap(cfg)));
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("k5spark_version", RunInfo.class.getPackage().getImplementationVersion());
    env.put("java_version", System.getProperty("java.version"));
    env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    env.put("spark_version", sparkVersion);
    env.put("application_id", applicationId);
    Map<String, Object> spark = new TreeMap<>();
    for (scala.Tuple2<String, String> kv : sparkConf.getAll()) {
      spark.put(kv._1(), kv._2());
    }
    env.put("spark_conf", redact(spark));
    root.put("environment", env);
    root.put("summary", summary);
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(root);
  }

  private static Map<String, Object> configMap(GenerateConfig cfg) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("prompts", cfg.prompts());
    m.put("out", cfg.out());
    m.put("model", cfg.modelConfig());
    m.put("weights_root", cfg.weightsRoot());
    m.put("factory", cfg.factoryClass());
    m.put("encoder", cfg.encoderClass());
    m.put("reader", cfg.readerOptions());
    m.put("selection", cfg.selection());
    Sampling s = cfg.sampling();
    m.put("width", s.width());
    m.put("height", s.height());
    m.put("seconds", s.seconds());
    m.put("steps", s.steps());
    m.put("guidance", s.guidance());
    m.put("negative_prompt", s.negativePrompt());
    m.put("magcache", s.magCache());
    m.put("partitions", cfg.partitions());
    m.put("max_failed_fraction", cfg.maxFailedFraction());
    m.put("retry_with_vae_tiling", cfg.retryWithTiling());
    return m;
  }

  static Map<String, Object> redact(Map<String, Object> in) {
    Map<String, Object> out = new LinkedHashMap<>();
    in.forEach((k, v) -> out.put(k, isSecretKey(k) && v != null ? REDACTED : redactUri(v)));
    return out;
  }

  /** user:password@ in a URI (s3a://KEY:SECRET@bucket/ is still accepted by some Hadoop versions). */
  private static Object redactUri(Object v) {
    if (v instanceof String s) {
      return s.replaceAll("(?i)([a-z0-9+.-]+://)[^/@\\s]+@", "$1" + REDACTED + "@");
    }
    if (v instanceof java.util.List<?> l) {
      return l.stream().map(RunInfo::redactUri).toList();
    }
    return v;
  }
}
