package org.k5spark.benchmark.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.k5spark.benchmark.MachineInfo;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.video.VideoFrames;
import org.k5spark.eval.metrics.DynamicDegree;
import org.k5spark.eval.raft.RaftFlops;
import org.k5spark.eval.raft.RaftFlow;
import org.k5spark.eval.raft.RaftWeights;

/**
 * Seconds per video of VBench's dynamic_degree estimator (RAFT, 20 iterations, native resolution) on this
 * machine: times {@code --pairs} frame pairs after one warm-up pair, and scales the median by the pairs VBench
 * scores for a {@code FxHxW} video at {@code --fps} (every round(fps/8)-th frame). Weights are the golden
 * recipe's (speed does not depend on their values). Prints one JSON object and a RESULTS.md row.
 *
 * <pre>
 *   RaftBenchmark [--size 49x256x256] [--fps 24] [--pairs 2] [--iters 20] [--device cpu] [--out FILE.json]
 * </pre>
 */
public final class RaftBenchmark {
  private RaftBenchmark() {}

  public static void main(String[] args) throws IOException {
    String size = "49x256x256";
    double fps = 24;
    int pairs = 2;
    int iters = RaftFlow.VBENCH_ITERS;
    String device = "cpu";
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--size" -> size = args[++i];
        case "--fps" -> fps = Double.parseDouble(args[++i]);
        case "--pairs" -> pairs = Integer.parseInt(args[++i]);
        case "--iters" -> iters = Integer.parseInt(args[++i]);
        case "--device" -> device = args[++i];
        case "--out" -> out = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    String[] d = size.split("x");
    int frames = Integer.parseInt(d[0]);
    int h = Integer.parseInt(d[1]);
    int w = Integer.parseInt(d[2]);
    int interval = DynamicDegree.interval(fps);
    int videoPairs = (frames - 1) / interval;
    int[] pad = RaftFlow.padding(h, w);
    long hp = h + pad[2] + pad[3];
    long wp = w + pad[0] + pad[1];
    double flopPair = RaftFlops.perPair(hp, wp, iters);
    byte[] rgb = new byte[2 * h * w * 3];
    new Random(1).nextBytes(rgb);
    VideoFrames two = new VideoFrames(2, h, w, fps, rgb);
    Device dev = TorchRuntime.device(device);
    double[] sec = new double[pairs];
    try (NDManager base = TorchRuntime.newManager(dev)) {
      NDManager wm = base.newSubManager(dev);
      RaftFlow raft = new RaftFlow(RaftWeights.random(1, 0.4, wm), wm, iters);
      raft.estimate(two, 0, 1); // warm-up
      for (int i = 0; i < pairs; i++) {
        long t0 = System.nanoTime();
        raft.estimate(two, 0, 1); // returns a host FlowField: the device work is finished
        sec[i] = (System.nanoTime() - t0) / 1e9;
      }
    }
    Arrays.sort(sec);
    double median = pairs % 2 == 1 ? sec[pairs / 2] : (sec[pairs / 2 - 1] + sec[pairs / 2]) / 2;
    ObjectMapper om = new ObjectMapper();
    ObjectNode r = om.createObjectNode();
    r.put("benchmark", "raft-dynamic-degree");
    r.put("utc", Instant.now().toString());
    r.put("size", size);
    r.put("fps", fps);
    r.put("interval", interval);
    r.put("pairs_per_video", videoPairs);
    r.put("iters", iters);
    r.put("padded", hp + "x" + wp);
    r.put("timed_pairs", pairs);
    r.put("seconds_per_pair_median", median);
    r.put("seconds_per_video", median * videoPairs);
    r.put("gflop_per_pair", flopPair / 1e9);
    r.put("tflop_per_video", flopPair * videoPairs / 1e12);
    r.put("gflops_achieved", flopPair / median / 1e9);
    r.put("device", device);
    r.set("machine", MachineInfo.describe(om));
    String json = om.writerWithDefaultPrettyPrinter().writeValueAsString(r);
    if (out != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, json);
    }
    System.out.println(json);
    System.out.printf(Locale.ROOT, "| %s | %s | %d | %d | %.2f | %.1f | %.1f | %.2f | %.1f |%n", size, device,
        videoPairs, iters, median, median * videoPairs, flopPair / 1e9, flopPair * videoPairs / 1e12,
        flopPair / median / 1e9);
  }
}
