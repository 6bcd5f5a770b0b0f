package org.k5spark.core.weights;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.k5spark.core.engine.TorchRuntime;

/**
 * A module's loaded parameters and the manager that owns them, movable between devices as a whole (e.g. a
 * text encoder parked in host memory while the DiT has the accelerator).
 */
public final class WeightSet implements AutoCloseable {
  private NDManager manager;
  private Map<String, NDArray> arrays;

  public WeightSet(NDManager manager, Map<String, NDArray> arrays) {
    this.manager = manager;
    this.arrays = arrays;
  }

  /** The parameter, or null when this set does not hold it. */
  public NDArray get(String key) {
    return arrays.get(key);
  }

  public boolean contains(String key) {
    return arrays.containsKey(key);
  }

  public Device device() {
    return manager.getDevice();
  }

  /** Copies every parameter to {@code device} under a new manager and frees the old copies. */
  public void toDevice(Device device) {
    if (device.equals(device())) {
      return;
    }
    NDManager m = TorchRuntime.newManager(device);
    Map<String, NDArray> moved = new LinkedHashMap<>();
    for (var e : arrays.entrySet()) {
      NDArray c = e.getValue().toDevice(device, true);
      c.attach(m);
      moved.put(e.getKey(), c);
    }
    manager.close();
    manager = m;
    arrays = moved;
  }

  @Override
  public void close() {
    manager.close();
  }
}
