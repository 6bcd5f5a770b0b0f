package org.k5spark.jobs.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkConf;
import org.k5spark.eval.report.Redactor;

/**
 * run.json: the run's configuration and environment. The whole document goes through the project's one
 * {@link Redactor} (secret keys, and credentials inside other values such as extraJavaOptions or URLs).
 */
public final class RunInfo {
  private RunInfo() {}

  public static byte[] toJson(GenerateConfig cfg, SparkConf sparkConf, String sparkVersion, String applicationId,
      Map<String, Object> summary) throws IOException {
    return toJson(cfg, sparkConf, sparkVersion, applicationId, summary, Map.of());
  }

  /** @param protocol the run card ({@link RunCard#protocol}), run.json's {@code protocol} object */
  public static byte[] toJson(GenerateConfig cfg, SparkConf sparkConf, String sparkVersion, String applicationId,
      Map<String, Object> summary, Map<String, Object> protocol) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("run_id", cfg.runId());
    root.put("protocol", protocol);
    root.put("config", configMap(cfg));
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
    env.put("spark_conf", spark);
    root.put("environment", env);
    root.put("summary", summary);
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    return json.writeValueAsBytes(Redactor.json(json.valueToTree(root)));
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
    m.put("samples_per_prompt", s.samplesPerPrompt());
    m.put("partitions", cfg.partitions());
    m.put("max_failed_fraction", cfg.maxFailedFraction());
    m.put("retry_with_vae_tiling", cfg.retryWithTiling());
    return m;
  }
}
