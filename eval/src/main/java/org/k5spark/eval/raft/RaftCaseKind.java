package org.k5spark.eval.raft;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.k5spark.core.golden.CaseKind;
import org.k5spark.core.golden.GoldenCase;
import org.k5spark.core.golden.PreparedCase;
import org.k5spark.core.video.VideoFrames;
import org.k5spark.eval.flow.FlowField;
import org.k5spark.eval.flow.OpticalFlowEstimator;
import org.k5spark.eval.metrics.DynamicDegree;
import org.k5spark.eval.metrics.MetricResult;

/**
 * Golden kind {@code vbench_dynamic_degree} (eval/tools/vbench-golden/gen_raft.py): input {@code frames} uint8
 * (T, H, W, 3), {@code config.fps} and {@code config.iters}; weights from {@code weights} (a safetensors file,
 * raft-things.pth keys) or, when absent, {@code weights_recipe} ({@link RaftRandomWeights}). Outputs: the
 * per-stage trace of the first sampled pair ({@code fmap1}, {@code fmap2}, {@code cnet}, {@code corr_levelN},
 * {@code corr_lookup_iter0}, {@code corr_lookup_last}, {@code flow_low_iters}), and, through the project's
 * {@link DynamicDegree} metric, every pair's padded {@code flow_up_pairs}, {@code pair_scores} and the decision
 * {@code dynamic}. Sizes, frame count and iterations all come from the case.
 */
public final class RaftCaseKind implements CaseKind {
  public static final String KIND = "vbench_dynamic_degree";
  private static final Set<String> OUTPUTS = Set.of("fmap1", "fmap2", "cnet", "corr_level0", "corr_level1",
      "corr_level2", "corr_level3", "corr_lookup_iter0", "corr_lookup_last", "flow_low_iters", "flow_up_pairs",
      "pair_scores", "dynamic");

  @Override
  public boolean handles(String kind) {
    return KIND.equals(kind);
  }

  @Override
  public String unsupportedReason(GoldenCase c) {
    if (!c.hasInput("frames")) {
      return "case has no input 'frames'";
    }
    for (String out : c.outputs().keySet()) {
      if (!OUTPUTS.contains(out)) {
        return "unknown output '" + out + "'";
      }
    }
    if (!"fp32".equals(c.precision())) {
      return "precision " + c.precision() + " (only fp32)";
    }
    if (!c.config().path("fps").isNumber() || !c.config().path("iters").isInt()) {
      return "config needs numeric 'fps' and integer 'iters'";
    }
    if (!hasWeightsFile(c)) {
      JsonNode r = c.json().path("weights_recipe");
      if (!RaftRandomWeights.RECIPE.equals(r.path("name").asText())) {
        return "no weights file and no weights_recipe '" + RaftRandomWeights.RECIPE + "'";
      }
    }
    return null;
  }

  private static boolean hasWeightsFile(GoldenCase c) {
    return c.json().hasNonNull("weights") && Files.isRegularFile(c.weightsPath());
  }

  @Override
  public PreparedCase prepare(GoldenCase c, NDManager manager, Device device) {
    NDManager wm = manager.newSubManager(device);
    JsonNode r = c.json().path("weights_recipe");
    RaftWeights w = hasWeightsFile(c) ? RaftWeights.load(c.weightsPath(), wm)
        : RaftWeights.random(r.path("seed").asInt(), r.path("gain").asDouble(1.0), wm);
    int iters = c.config().path("iters").asInt();
    RaftFlow flow = new RaftFlow(w, wm, iters);
    VideoFrames video;
    try (NDManager tmp = NDManager.newBaseManager(Device.cpu())) {
      NDArray f = c.input("frames", tmp);
      long[] s = f.getShape().getShape();
      byte[] rgb = f.toType(DataType.UINT8, false).toByteArray();
      video = new VideoFrames((int) s[0], (int) s[1], (int) s[2], c.config().path("fps").asDouble(), rgb);
    }
    return new PreparedCase() {
      @Override
      public Map<String, NDArray> run(NDManager scratch) {
        return RaftCaseKind.run(flow, video, iters, scratch);
      }

      @Override
      public void close() {
        flow.close();
      }
    };
  }

  static Map<String, NDArray> run(RaftFlow flow, VideoFrames video, int iters, NDManager scratch) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    int interval = DynamicDegree.interval(video.fps());
    NDArray a = RaftFlow.frame(video, 0, scratch);
    NDArray b = RaftFlow.frame(video, Math.min(interval, video.frames() - 1), scratch);
    int[] pad = RaftFlow.padding(video.height(), video.width());
    Raft.Trace t = flow.raft().forward(RaftFlow.pad(a, pad), RaftFlow.pad(b, pad), iters, true).trace();
    out.put("fmap1", t.fmap1());
    out.put("fmap2", t.fmap2());
    out.put("cnet", t.cnet());
    for (int i = 0; i < t.pyramid().size(); i++) {
      out.put("corr_level" + i, t.pyramid().get(i));
    }
    out.put("corr_lookup_iter0", t.lookupFirst());
    out.put("corr_lookup_last", t.lookupLast());
    out.put("flow_low_iters", t.flowLowIters());

    List<FlowField> flows = new ArrayList<>();
    OpticalFlowEstimator recording = new OpticalFlowEstimator() {
      @Override
      public String name() {
        return flow.name();
      }

      @Override
      public FlowField estimate(VideoFrames v, int from, int to) {
        FlowField f = flow.estimate(v, from, to);
        flows.add(f);
        return f;
      }
    };
    MetricResult dd = new DynamicDegree(recording).compute(video).get(0);
    // upstream's infer scores every pair before check_move; so does DynamicDegree.compute
    int pairs = (int) dd.details().get("sampled_frames") - 1;
    if (flows.size() != pairs) {
      throw new IllegalStateException("dynamic_degree scored " + flows.size() + " of " + pairs + " pairs");
    }
    FlowField f0 = flows.get(0);
    float[] all = new float[pairs * 2 * f0.height() * f0.width()];
    double[] scores = new double[pairs];
    int hw = f0.height() * f0.width();
    for (int p = 0; p < pairs; p++) {
      float[] uv = flows.get(p).uv();
      for (int i = 0; i < hw; i++) {
        all[(p * 2) * hw + i] = uv[2 * i];
        all[(p * 2 + 1) * hw + i] = uv[2 * i + 1];
      }
      scores[p] = flows.get(p).topFractionMean(0.05);
    }
    out.put("flow_up_pairs", scratch.create(all, new Shape(pairs, 2, f0.height(), f0.width())));
    out.put("pair_scores", scratch.create(scores));
    out.put("dynamic", scratch.create(new boolean[] {dd.flag()}));
    return out;
  }
}
