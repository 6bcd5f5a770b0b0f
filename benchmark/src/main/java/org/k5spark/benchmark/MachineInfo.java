package org.k5spark.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** What a result was measured on: CPU model, cores, memory, GPU (nvidia-smi), load, thread settings. */
public final class MachineInfo {
  private MachineInfo() {}

  public static ObjectNode describe(ObjectMapper om) {
    ObjectNode m = om.createObjectNode();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("java", System.getProperty("java.version"));
    try {
      Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
          .ifPresent(l -> m.put("cpu", l.substring(l.indexOf(':') + 1).trim()));
      Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal")).findFirst()
          .ifPresent(l -> m.put("mem_total_gib", String.format(Locale.ROOT, "%.1f",
              Long.parseLong(l.replaceAll("[^0-9]", "")) / 1048576.0)));
      m.put("load_avg_at_start", Files.readString(Path.of("/proc/loadavg")).trim());
    } catch (IOException e) {
      m.put("note", "no /proc: " + e.getMessage());
    }
    String gpu = gpus();
    if (gpu != null) {
      m.put("gpu", gpu);
    }
    for (String v : new String[] {"OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"}) {
      String val = System.getenv(v);
      m.put(v.toLowerCase(Locale.ROOT), val == null ? "default" : val);
    }
    return m;
  }

  /** "CPU model, N cores, M GiB[, GPU]" for a results table. */
  public static String oneLine(ObjectNode m) {
    String s = m.path("cpu").asText("unknown CPU") + ", " + m.path("cores").asInt() + " cores, "
        + m.path("mem_total_gib").asText("?") + " GiB";
    return m.has("gpu") ? s + ", " + m.get("gpu").asText() : s;
  }

  /** nvidia-smi's GPU names and memory, or null without an NVIDIA driver. */
  static String gpus() {
    String out = run("nvidia-smi", "--query-gpu=name,memory.total", "--format=csv,noheader");
    return out == null || out.isBlank() ? null : out.trim().replace('\n', ';');
  }

  /** A short command's stdout, or null if it is missing or fails. */
  public static String run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
      StringBuilder sb = new StringBuilder();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          sb.append(line).append('\n');
        }
      }
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return null;
      }
      return sb.toString();
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** A kB field of /proc/self/status (VmRSS, VmHWM), or -1. */
  public static long procStatusKb(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }
}
