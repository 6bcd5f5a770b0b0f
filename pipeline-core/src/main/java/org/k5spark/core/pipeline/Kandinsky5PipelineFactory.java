package org.k5spark.core.pipeline;

import ai.djl.Device;
import java.nio.file.Path;
import org.k5spark.core.config.ModelConfig;

/**
 * The default {@link TextToVideoFactory}: a model YAML path (or an embedded config name such as "tiny") and
 * a local weights root. Remote roots (s3a://, hdfs://) are copied to local disk by the Spark job first.
 */
public final class Kandinsky5PipelineFactory implements TextToVideoFactory {
  @Override
  public TextToVideo create(String modelConfig, String weightsRoot, Device device) {
    ModelConfig cfg = ModelConfig.resolve(modelConfig);
    Path root = Path.of(weightsRoot == null ? "weights" : weightsRoot);
    org.k5spark.core.tiny.TinyCheckpoint.ensure(cfg, root);
    return Kandinsky5Pipeline.load(cfg, root, device);
  }
}
