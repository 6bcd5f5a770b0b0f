package org.k5spark.benchmark;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.vae.HunyuanVae;
import org.k5spark.core.vae.TilingPlan;
import org.k5spark.core.vae.TinyVae;
import org.k5spark.core.vae.VaeConfig;
import org.k5spark.core.vae.VaeTiling;

/**
 * VAE decode time and peak memory, tiled vs untiled, on a tiny-width VAE (real architecture, reduced
 * channels) at a real latent shape. Each (shape, tiling) runs in its own child JVM so that its peak RSS
 * (VmHWM: Java heap + libtorch's native allocations) is its own.
 *
 * <pre>
 *   VaeDecodeBenchmark [--runs T,H,W:tiling;...] [--width C] [--out benchmark/results/vae-decode.json]
 *   tiling = auto | off | ft,ht,wt/fs,hs,ws
 * </pre>
 */
public final class VaeDecodeBenchmark {
  private VaeDecodeBenchmark() {}

  public static void main(String[] args) throws Exception {
    String runs = "6,64,96:auto;6,64,96:off;31,64,96:auto";
    int width = 8;
    Path out = Path.of("benchmark/results/vae-decode.json");
    String child = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = args[++i];
        case "--width" -> width = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--child" -> child = args[++i];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (child != null) {
      System.out.println("RESULT " + runChild(child, width));
      return;
    }
    ObjectMapper om = new ObjectMapper();
    ObjectNode root = om.createObjectNode();
    root.put("benchmark", "vae_decode");
    root.put("date", Instant.now().toString());
    root.set("machine", MachineInfo.describe(om));
    root.put("vae", "TinyVae architecture, block_out_channels [" + width + " x4], norm_num_groups 4, layers_per_block 1,"
        + " latent 16, ratios 8/4, mid-block attention; float32, CPU");
    ArrayNode results = root.putArray("results");
    for (String run : runs.split(";")) {
      System.err.println("vae-decode: " + run);
      results.add(forkChild(om, run, width));
    }
    org.k5spark.core.io.AtomicFiles.writeFile(out, tmp -> om.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root));
    System.out.println(om.writerWithDefaultPrettyPrinter().writeValueAsString(root));
  }

  private static JsonNode forkChild(ObjectMapper om, String run, int width) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-Dai.djl.offline=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("java.class.path"), VaeDecodeBenchmark.class.getName(),
        "--child", run, "--width", Integer.toString(width)));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String result = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("RESULT ")) {
          result = line.substring(7);
        }
      }
    }
    int rc = p.waitFor();
    if (rc != 0 || result == null) {
      ObjectNode failed = om.createObjectNode();
      failed.put("run", run);
      failed.put("error", "child exited with " + rc + " (killed for memory or failed)");
      return failed;
    }
    return om.readTree(result);
  }

  /** One decode of a random latent; prints a JSON object. */
  private static String runChild(String run, int width) throws IOException {
    String[] parts = run.split(":", 2);
    long[] thw = Arrays.stream(parts[0].split(",")).mapToLong(Long::parseLong).toArray();
    VaeTiling tiling = VaeTiling.parse(parts[1]);
    Path dir = Files.createTempDirectory("k5-bench-vae");
    VaeConfig cfg = new VaeConfig(3, 3, 16, new int[] {width, width, width, width}, 1, 4, "silu", 0.476986, 8, 4,
        true, "benchmark");
    TinyVae.write(dir, cfg, 42);
    ObjectMapper om = new ObjectMapper();
    ObjectNode o = om.createObjectNode();
    o.put("run", run);
    o.put("latent_shape", Arrays.toString(new long[] {thw[0], thw[1], thw[2], 16}));
    o.put("video_shape", Arrays.toString(new long[] {1, 3, 4 * (thw[0] - 1) + 1, 8 * thw[1], 8 * thw[2]}));
    o.put("tiling", tiling.toString());
    if (tiling.mode() == VaeTiling.Mode.AUTO) {
      TilingPlan p = TilingPlan.optimal(thw[0], thw[1], thw[2]);
      o.put("plan", VaeTiling.forced(p).toString());
    }
    try (NDManager m = TorchRuntime.newManager(Device.cpu())) {
      HunyuanVae vae = HunyuanVae.load(dir, m);
      // the same latent in every child: drawn in Java from a fixed seed
      java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
      float[] values = new float[(int) (thw[0] * thw[1] * thw[2] * 16)];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) (2 * rnd.nextDouble() - 1);
      }
      NDArray latent = m.create(values, new Shape(thw[0], thw[1], thw[2], 16));
      long rssBefore = MachineInfo.procStatusKb("VmRSS");
      resetPeak();
      long t0 = System.nanoTime();
      try (NDManager scratch = m.newSubManager()) {
        NDArray video = vae.decode(latent, tiling);
        video.attach(scratch);
        o.put("checksum_mean", video.mean().getFloat());
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      o.put("decode_s", Math.round(seconds * 100) / 100.0);
      o.put("rss_before_mib", rssBefore / 1024);
      o.put("peak_rss_mib", MachineInfo.procStatusKb("VmHWM") / 1024);
      o.put("peak_rss_during_decode_mib", (MachineInfo.procStatusKb("VmHWM") - rssBefore) / 1024);
    }
    deleteTree(dir);
    return om.writeValueAsString(o);
  }

  /** Resets VmHWM to the current RSS (Linux clear_refs "5") so the peak covers the decode only. */
  private static void resetPeak() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException | RuntimeException e) {
      // older kernels or restricted /proc: the peak then covers the whole process
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
