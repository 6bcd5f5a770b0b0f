package org.k5spark.core.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
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
  private final Modulation modulation;
  private final RopeTables ropeTables;
  private final Modulation.NormParams norm;
  private final AtomicLong visualPasses = new AtomicLong();

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
    Modulation.Builder modulations = new Modulation.Builder();
    for (int i = 0; i < params.numTextBlocks(); i++) {
      textBlocks.add(new TextBlock(weights, "text_transformer_blocks." + i, heads, hd, modulations));
    }
    for (int i = 0; i < params.numVisualBlocks(); i++) {
      visualBlocks.add(new VisualBlock(weights, "visual_transformer_blocks." + i, heads, hd, modulations));
    }
    this.outLayer = new OutLayer(weights, params.patchSize(), params.outVisualDim(), modulations);
    this.modulation = modulations.build(weights);
    NDManager wm = weights.manager();
    this.ropeTables = new RopeTables(wm, hd, params.axesDims());
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
    return forward(in, trace, null);
  }

  /**
   * How many times the visual blocks have run on this instance (calls that MagCache skipped do not count);
   * lets callers and tests count the expensive part of each DiT call.
   */
  public long visualPasses() {
    return visualPasses.get();
  }

  /**
   * As {@link #forward(Inputs, DitTrace)}, with {@code skip} (null = always run) deciding whether the visual
   * blocks run or a cached residual replaces them, as the reference's {@code magcache_forward}: the
   * embeddings, the text blocks and the output layer always run.
   */
  public NDArray forward(Inputs in, DitTrace trace, VisualBlockSkip skip) {
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
    NDList mods = modulation.params(timeEmbed);
    NDArray visual = visualEmbeddings.forward(Nn.as(x, dtype));
    DitTrace.record(trace, "visual_embeddings.out", visual);

    Rope.Table textRope = ropeTables.text(in.textRopePos());
    if (trace != null) {
      trace.record("text_rope", Rope.referenceLayout(Rope.text(in.textRopePos(), params.headDim())));
    }
    for (int i = 0; i < textBlocks.size(); i++) {
      TextBlock b = textBlocks.get(i);
      NDArray t = text;
      text = scoped(() -> b.forward(t, mods, textRope, backend, norm), t);
      releaseUnlessTraced(t, i > 0, trace);
      DitTrace.record(trace, "text_block." + i + ".out", text);
    }

    Shape vs = visual.getShape();
    long tp = vs.get(0);
    long hp = vs.get(1);
    long wp = vs.get(2);
    if (trace != null) {
      trace.record("visual_rope",
          Rope.referenceLayout(Rope.visual(in.visualRopePos(), params.axesDims(), in.scaleFactor())));
    }
    boolean fractal = attention.nabla();
    NDArray tokens = FractalOrder.flatten(visual, fractal);
    Rope.Table tokenRope = ropeTables.visualTokens(in.visualRopePos(), in.scaleFactor(), fractal);
    NDArray reuse = skip == null ? null : skip.residualToReuse();
    if (reuse != null) {
      tokens = tokens.add(reuse);
    } else {
      NDArray first = tokens;
      NablaAttention nabla = fractal ? NablaAttention.create(attention, tp, hp, wp, x.getManager(), trace) : null;
      for (int i = 0; i < visualBlocks.size(); i++) {
        VisualBlock b = visualBlocks.get(i);
        NDArray v = tokens;
        NDArray tx = text;
        NablaAttention blockNabla = nabla == null ? null : nabla.forBlock(i);
        tokens = scoped(() -> b.forward(v, tx, mods, tokenRope, backend, blockNabla, norm), v, tx);
        // the block input is kept while a skip policy still needs it for the residual
        releaseUnlessTraced(v, skip == null || v != first, trace);
        DitTrace.record(trace, "visual_block." + i + ".out", tokens);
      }
      visualPasses.incrementAndGet();
      if (skip != null) {
        skip.computed(tokens.sub(first));
        releaseUnlessTraced(first, first != tokens, trace);
      }
    }
    NDArray grid = FractalOrder.unflatten(tokens, tp, hp, wp, fractal);
    DitTrace.record(trace, "out_layer.in", grid);
    return outLayer.forward(grid, mods, norm);
  }

  /**
   * Classifier-free guidance in one batch of two: the cond and uncond calls of a step share the visual input
   * and positions, so their visual streams run through the visual blocks as a (2, L, D) batch, each sample
   * with its own modulation (time + pooled text) and its own text in cross-attention (texts zero-padded to
   * the longer one, padded keys masked out, which leaves the softmax exactly as without padding). Embeddings,
   * text blocks and the output layer run per sample (different text lengths; cheap). Equal to two
   * {@link #forward} calls up to float rounding. NABLA, and calls whose inputs differ in the visual part, fall
   * back to two calls; so does a pair where a skip policy reuses a residual.
   *
   * @return {velocity of a, velocity of b}, attached to the manager of {@code a.x()}
   */
  public NDList forwardPair(Inputs a, Inputs b, VisualBlockSkip skipA, VisualBlockSkip skipB) {
    NDArray ra = skipA == null ? null : skipA.residualToReuse();
    NDArray rb = skipB == null ? null : skipB.residualToReuse();
    if (attention.nabla() || a.x() != b.x() || a.visualRopePos() != b.visualRopePos() || ra != null || rb != null) {
      return new NDList(forward(a, null, skipA), forward(b, null, skipB));
    }
    NDArray x = a.x();
    long c = x.getShape().get(3);
    if (c != params.visualEmbedDim()) {
      throw new IllegalArgumentException("visual input has " + c + " channels, the DiT expects "
          + params.visualEmbedDim() + " (visual_cond=" + params.visualCond() + ")");
    }
    NDManager m = x.getManager();
    for (Inputs in : new Inputs[] {a, b}) {
      for (NDArray t : new NDArray[] {in.textEmbed(), in.pooledTextEmbed(), in.time(), in.textRopePos(),
          in.visualRopePos()[0], in.visualRopePos()[1], in.visualRopePos()[2]}) {
        if (t.getManager() != m) {
          t.tempAttach(m);
        }
      }
    }
    NDArray[] text = new NDArray[2];
    NDArray[] timeEmbed = new NDArray[2];
    NDList[] mods = new NDList[2];
    Inputs[] ins = {a, b};
    for (int s = 0; s < 2; s++) {
      Inputs in = ins[s];
      NDArray t = textEmbeddings.forward(in.textEmbed(), dtype);
      timeEmbed[s] = timeEmbeddings.forward(in.time()).add(pooledTextEmbeddings.forward(in.pooledTextEmbed(),
          DataType.FLOAT32));
      mods[s] = modulation.params(timeEmbed[s]);
      Rope.Table textRope = ropeTables.text(in.textRopePos());
      NDList sm = mods[s];
      for (int i = 0; i < textBlocks.size(); i++) {
        TextBlock blk = textBlocks.get(i);
        NDArray cur = t;
        t = scoped(() -> blk.forward(cur, sm, textRope, backend, norm), cur);
        releaseUnlessTraced(cur, i > 0, null);
      }
      text[s] = t;
    }
    NDArray visual = visualEmbeddings.forward(Nn.as(x, dtype));
    Shape vs = visual.getShape();
    long tp = vs.get(0);
    long hp = vs.get(1);
    long wp = vs.get(2);
    NDArray flat = FractalOrder.flatten(visual, false);
    Rope.Table tokenRope = ropeTables.visualTokens(a.visualRopePos(), a.scaleFactor(), false);
    NDArray tokens = NDArrays.stack(new NDList(flat, flat), 0);
    long la = text[0].getShape().get(0);
    long lb = text[1].getShape().get(0);
    long lmax = Math.max(la, lb);
    NDArray texts = NDArrays.stack(new NDList(padRows(text[0], lmax), padRows(text[1], lmax)), 0);
    boolean[] keep = new boolean[(int) (2 * lmax)];
    for (int j = 0; j < lmax; j++) {
      keep[j] = j < la;
      keep[(int) lmax + j] = j < lb;
    }
    NDArray textMask = m.create(keep, new Shape(2, 1, 1, lmax));
    NDList pairMods = modulation.params(NDArrays.stack(new NDList(timeEmbed[0], timeEmbed[1]), 0));
    for (int i = 0; i < visualBlocks.size(); i++) {
      VisualBlock blk = visualBlocks.get(i);
      NDArray v = tokens;
      tokens = scoped(() -> blk.forward(v, texts, pairMods, tokenRope, backend, null, norm, textMask), v, texts,
          textMask);
      releaseUnlessTraced(v, true, null);
    }
    visualPasses.addAndGet(2);
    NDList out = new NDList(2);
    VisualBlockSkip[] skips = {skipA, skipB};
    for (int s = 0; s < 2; s++) {
      NDArray own = tokens.get(s);
      if (skips[s] != null) {
        skips[s].computed(own.sub(flat));
      }
      NDArray grid = FractalOrder.unflatten(own, tp, hp, wp, false);
      out.add(outLayer.forward(grid, mods[s], norm));
    }
    return out;
  }

  /** (L, D) to (rows, D) with zero rows appended. */
  private static NDArray padRows(NDArray t, long rows) {
    long l = t.getShape().get(0);
    if (l == rows) {
      return t;
    }
    return t.concat(t.getManager().zeros(new Shape(rows - l, t.getShape().get(1)), t.getDataType()), 0);
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

  @Override
  public void close() {
    ropeTables.close();
    weights.close();
  }
}
