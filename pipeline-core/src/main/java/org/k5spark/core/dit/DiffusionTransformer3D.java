package org.k5spark.core.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.k5spark.core.config.AttentionConfig;
import org.k5spark.core.config.DitParams;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.dit.attention.AttentionBackend;
import org.k5spark.core.dit.nabla.NablaAttention;
import org.k5spark.core.weights.TensorSource;

/**
 * The Kandinsky 5 video DiT ({@code kandinsky/models/dit.py}) on DJL: text blocks over the text tokens,
 * visual blocks (self-attention, cross-attention to the text, feed-forward) over the patch tokens, adaptive
 * norms driven by the timestep + pooled text embedding. No batch dimension (the reference runs batch 1).
 *
 * <p>Compute dtype FLOAT32 (CPU) or FLOAT16 (GPU) for the GEMMs and attention; time embedding, modulation,
 * norms, RoPE and the residual streams always run in float32, as under the reference's autocast. Each block runs in its own sub-manager so a forward holds only
 * the residual streams between blocks.
 */
public final class DiffusionTransformer3D implements AutoCloseable {
  private final DitParams params;
  private final AttentionConfig attention;
  private final DitWeights weights;
  private final DataType dtype;
  private final AttentionBackend backend;
  private final TimeEmbeddings timeEmbeddings;
  private final TextEmbeddings textEmbeddings;
  private final TextEmbeddings pooledTextEmbeddings;
  private final VisualEmbeddings visualEmbeddings;
  private final List<TextBlock> textBlocks = new ArrayList<>();
  private final List<VisualBlock> visualBlocks = new ArrayList<>();
  private final OutLayer outLayer;
  private final Modulation.NormParams norm;

  /** The inputs of one forward, as the reference's {@code dit(...)} call takes them. */
  public record Inputs(NDArray x, NDArray textEmbed, NDArray pooledTextEmbed, NDArray time, NDArray[] visualRopePos,
      NDArray textRopePos, float[] scaleFactor) {}

  private DiffusionTransformer3D(DitParams params, AttentionConfig attention, DitWeights weights, DataType dtype,
      AttentionBackend backend) {
    this.params = params;
    this.attention = attention;
    this.weights = weights;
    this.dtype = dtype;
    this.backend = backend;
    int heads = params.numHeads();
    int hd = params.headDim();
    this.timeEmbeddings = new TimeEmbeddings(weights, params.modelDim());
    this.textEmbeddings = new TextEmbeddings(weights, "text_embeddings");
    this.pooledTextEmbeddings = new TextEmbeddings(weights, "pooled_text_embeddings");
    this.visualEmbeddings = new VisualEmbeddings(weights, params.patchSize());
    for (int i = 0; i < params.numTextBlocks(); i++) {
      textBlocks.add(new TextBlock(weights, "text_transformer_blocks." + i, heads, hd));
    }
    for (int i = 0; i < params.numVisualBlocks(); i++) {
      visualBlocks.add(new VisualBlock(weights, "visual_transformer_blocks." + i, heads, hd));
    }
    this.outLayer = new OutLayer(weights, params.patchSize(), params.outVisualDim());
    NDManager wm = weights.manager();
    this.norm = new Modulation.NormParams(wm.ones(new Shape(params.modelDim()), DataType.FLOAT32),
        wm.zeros(new Shape(params.modelDim()), DataType.FLOAT32), dtype);
  }

  /**
   * Builds the DiT and loads its weights strictly (missing / unexpected / misshapen keys fail) into a
   * sub-manager of {@code manager}, converted to {@code dtype} (FLOAT32 or FLOAT16; BF16 files are widened).
   */
  public static DiffusionTransformer3D load(DitParams params, AttentionConfig attention, TensorSource src,
      NDManager manager, DataType dtype, AttentionBackend backend) {
    if (dtype != DataType.FLOAT32 && dtype != DataType.FLOAT16) {
      throw new IllegalArgumentException("DiT compute dtype must be FLOAT32 or FLOAT16, got " + dtype);
    }
    return new DiffusionTransformer3D(params, attention, DitWeights.load(params, src, manager, dtype), dtype, backend);
  }

  /**
   * The DiT of a model config: its checkpoint_path resolved against {@code weightsRoot} (see
   * {@link ModelConfig#resolveWeight}), attention backend from {@code -Dk5.attention}.
   */
  public static DiffusionTransformer3D load(ModelConfig cfg, java.nio.file.Path weightsRoot, NDManager manager,
      DataType dtype) {
    try (TensorSource src = TensorSource.open(cfg.checkpoint(weightsRoot))) {
      return load(cfg.ditParams(), cfg.attention(), src, manager, dtype, AttentionBackend.fromSystemProperty());
    }
  }

  public DitParams params() {
    return params;
  }

  public AttentionConfig attention() {
    return attention;
  }

  public DataType dtype() {
    return dtype;
  }

  public AttentionBackend backend() {
    return backend;
  }

  public DitWeights weights() {
    return weights;
  }

  /** The velocity (T, H, W, out_visual_dim) float32, attached to the manager of {@code in.x()}. */
  public NDArray forward(Inputs in, DitTrace trace) {
    NDArray x = in.x();
    long c = x.getShape().get(3);
    if (c != params.visualEmbedDim()) {
      throw new IllegalArgumentException("visual input has " + c + " channels, the DiT expects "
          + params.visualEmbedDim() + " (visual_cond=" + params.visualCond() + ")");
    }
    // Results attach to their first operand's manager: bring every input to x's manager for the call so that
    // nothing of this forward lands in a longer-lived manager (they go back when that manager closes).
    NDManager m = x.getManager();
    for (NDArray a : new NDArray[] {in.textEmbed(), in.pooledTextEmbed(), in.time(), in.textRopePos(),
        in.visualRopePos()[0], in.visualRopePos()[1], in.visualRopePos()[2]}) {
      if (a.getManager() != m) {
        a.tempAttach(m);
      }
    }
    NDArray text = textEmbeddings.forward(in.textEmbed(), dtype);
    DitTrace.record(trace, "text_embeddings.out", text);
    NDArray te = timeEmbeddings.forward(in.time());
    DitTrace.record(trace, "time_embeddings.out", te);
    NDArray pooled = pooledTextEmbeddings.forward(in.pooledTextEmbed(), DataType.FLOAT32);
    DitTrace.record(trace, "pooled_text_embeddings.out", pooled);
    NDArray timeEmbed = te.add(pooled);
    NDArray visual = visualEmbeddings.forward(Nn.as(x, dtype));
    DitTrace.record(trace, "visual_embeddings.out", visual);

    Rope.Table textRope = Rope.text(in.textRopePos(), params.headDim());
    if (trace != null) {
      trace.record("text_rope", ropeMatrix(textRope));
    }
    for (int i = 0; i < textBlocks.size(); i++) {
      TextBlock b = textBlocks.get(i);
      NDArray t = text;
      text = scoped(() -> b.forward(t, timeEmbed, textRope, backend, norm), t, timeEmbed);
      releaseUnlessTraced(t, i > 0, trace);
      DitTrace.record(trace, "text_block." + i + ".out", text);
    }

    Shape vs = visual.getShape();
    long tp = vs.get(0);
    long hp = vs.get(1);
    long wp = vs.get(2);
    Rope.Table visualRope = Rope.visual(in.visualRopePos(), params.axesDims(), in.scaleFactor());
    if (trace != null) {
      trace.record("visual_rope", ropeMatrix(visualRope));
    }
    boolean fractal = attention.nabla();
    NDArray tokens = FractalOrder.flatten(visual, fractal);
    Rope.Table tokenRope = new Rope.Table(FractalOrder.flatten(visualRope.cos(), fractal),
        FractalOrder.flatten(visualRope.sin(), fractal));
    NablaAttention nabla = fractal ? NablaAttention.create(attention, tp, hp, wp, x.getManager(), trace) : null;
    for (int i = 0; i < visualBlocks.size(); i++) {
      VisualBlock b = visualBlocks.get(i);
      NDArray v = tokens;
      NDArray tx = text;
      NablaAttention blockNabla = nabla == null ? null : nabla.forBlock(i);
      tokens = scoped(() -> b.forward(v, tx, timeEmbed, tokenRope, backend, blockNabla, norm), v, tx, timeEmbed);
      releaseUnlessTraced(v, true, trace);
      DitTrace.record(trace, "visual_block." + i + ".out", tokens);
    }
    NDArray grid = FractalOrder.unflatten(tokens, tp, hp, wp, fractal);
    DitTrace.record(trace, "out_layer.in", grid);
    return outLayer.forward(grid, timeEmbed, norm);
  }

  /**
   * Runs {@code body} with the anchors temporarily attached to a fresh sub-manager, so every intermediate
   * (results attach to their first operand's manager) is freed when it returns; the result is kept.
   */
  private static NDArray scoped(Supplier<NDArray> body, NDArray... anchors) {
    NDManager parent = anchors[0].getManager();
    try (NDManager sub = parent.newSubManager()) {
      for (NDArray a : anchors) {
        a.tempAttach(sub);
      }
      NDArray out = body.get();
      out.attach(parent);
      return out;
    }
  }

  /** Frees a consumed residual stream early (a trace may still hold it; the caller's inputs are never freed). */
  private static void releaseUnlessTraced(NDArray consumed, boolean ours, DitTrace trace) {
    if (ours && trace == null) {
      consumed.close();
    }
  }

  /** The reference's rope layout (..., 1, D/2, 2, 2) = [[cos, -sin], [sin, cos]] per pair, for traces. */
  private static NDArray ropeMatrix(Rope.Table t) {
    NDArray m = NDArrays.stack(new NDList(t.cos(), t.sin().neg(), t.sin(), t.cos()), t.cos().getShape().dimension());
    Shape s = m.getShape();
    return m.reshape(s.slice(0, s.dimension() - 1).addAll(new Shape(2, 2)));
  }

  @Override
  public void close() {
    weights.close();
  }
}
