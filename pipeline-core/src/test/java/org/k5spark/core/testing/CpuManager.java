package org.k5spark.core.testing;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.k5spark.core.engine.TorchRuntime;

/**
 * One CPU {@link NDManager} per test class, closed after its tests:
 * {@code @RegisterExtension static final CpuManager cpu = new CpuManager();} then {@code cpu.get()}.
 */
public final class CpuManager implements BeforeAllCallback, AfterAllCallback {
  private NDManager manager;

  @Override
  public void beforeAll(ExtensionContext context) {
    manager = TorchRuntime.newManager(Device.cpu());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (manager != null) {
      manager.close();
      manager = null;
    }
  }

  public NDManager get() {
    if (manager == null) {
      throw new IllegalStateException("the manager opens before the class's tests (register as a static field)");
    }
    return manager;
  }
}
