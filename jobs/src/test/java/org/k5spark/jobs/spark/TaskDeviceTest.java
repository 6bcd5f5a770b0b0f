package org.k5spark.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class TaskDeviceTest {
  @Test
  void gpuAddressesMapToDevices() {
    assertEquals(Device.cpu(), TaskDevice.device(null));
    assertEquals(Device.gpu(1), TaskDevice.device("1"));
    assertEquals("gpu:3", TaskDevice.name(" 3 "));
    assertEquals("cpu", TaskDevice.name(null));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskDevice.device("GPU-8a1c"));
    assertEquals("GPU address 'GPU-8a1c' is not a device index; the discovery script must report nvidia-smi indices",
        e.getMessage());
    assertEquals(null, TaskDevice.gpuAddress(), "no Spark task: no GPU");
  }
}
