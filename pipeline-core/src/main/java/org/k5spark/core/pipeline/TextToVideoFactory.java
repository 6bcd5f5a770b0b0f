package org.k5spark.core.pipeline;

import ai.djl.Device;

/**
 * Builds a {@link TextToVideo} on a device from a model config location (a YAML path) and a weights root.
 * Spark executors instantiate the factory by class name, so implementations need a public no-arg
 * constructor.
 */
public interface TextToVideoFactory {
  TextToVideo create(String modelConfig, String weightsRoot, Device device);
}
