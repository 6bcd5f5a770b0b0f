package org.k5spark.jobs.spark;

import ai.djl.Device;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * The device a Spark task should compute on: the GPU address Spark's resource scheduler assigned to
 * this task (spark.task.resource.gpu.amount + a discovery script), or the CPU when there is none
 * (local[*], CPU clusters).
 */
public final class TaskDevice {
  private TaskDevice() {}

  /** The first GPU address assigned to the running task, or null. */
  public static String gpuAddress() {
    TaskContext tc = TaskContext.get();
    if (tc == null) {
      return null;
    }
    ResourceInformation gpu = tc.resourcesJMap().get("gpu");
    return gpu == null || gpu.addresses().length == 0 ? null : gpu.addresses()[0];
  }

  public static Device device(String gpuAddress) {
    if (gpuAddress == null) {
      return Device.cpu();
    }
    try {
      return Device.gpu(Integer.parseInt(gpuAddress.strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("GPU address '" + gpuAddress + "' is not a device index; the discovery"
          + " script must report nvidia-smi indices", e);
    }
  }

  /** "cpu" or "gpu:N": the device part of the pipeline cache key. */
  public static String name(String gpuAddress) {
    return gpuAddress == null ? "cpu" : "gpu:" + gpuAddress.strip();
  }
}
