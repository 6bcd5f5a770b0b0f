package org.k5spark.benchmark.e2e;

import java.util.concurrent.atomic.AtomicLong;
import org.k5spark.benchmark.MachineInfo;

/**
 * Peak device memory in use, sampled from nvidia-smi every 250 ms on a daemon thread (the whole GPU's
 * usage, so other processes on it count too). Reports -1 when nvidia-smi is not there.
 */
public final class GpuMemorySampler implements AutoCloseable {
  private final AtomicLong peakMib = new AtomicLong(-1);
  private final Thread thread;
  private volatile boolean running = true;

  public GpuMemorySampler(int gpuIndex) {
    thread = new Thread(() -> {
      while (running) {
        String out = MachineInfo.run("nvidia-smi", "--query-gpu=memory.used", "--format=csv,noheader,nounits",
            "-i", Integer.toString(gpuIndex));
        if (out == null) {
          return;
        }
        try {
          long used = Long.parseLong(out.trim());
          peakMib.accumulateAndGet(used, Math::max);
        } catch (NumberFormatException e) {
          return;
        }
        try {
          Thread.sleep(250);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "gpu-memory-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  public long peakMib() {
    return peakMib.get();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
