package org.k5spark.core.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.zip.CRC32;
import org.k5spark.core.engine.TorchRuntime;
import org.k5spark.core.text.PromptExpander;
import org.k5spark.core.text.QwenPromptTokenizer;
import org.k5spark.core.text.TextEmbeddings;
import org.k5spark.core.text.TextEncoders;
import org.k5spark.core.text.TextPrecision;
import org.k5spark.core.config.ModelConfig;
import org.k5spark.core.tiny.TinyCheckpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code k5 encode --model cfg.yaml "a cat"}: runs the text encoders and prints shapes and checksums. */
@Command(name = "encode", mixinStandardHelpOptions = true,
    description = {"Encode prompts with the model's text encoders (Qwen2.5-VL + CLIP): shapes and checksums.",
        "Prints, per prompt, the shapes and checksums (sum, L2, crc32 of the float32 bits) of the Qwen embeddings and the CLIP pooled",
        "vector, the text RoPE length, token counts and whether either encoder truncated the prompt."})
public final class EncodeCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "<yaml|name>",
      description = "model config: a YAML file (configs/model/*.yaml) or an embedded name such as tiny")
  String model;

  @Option(names = "--weights-root", paramLabel = "<dir>",
      description = "directory the config's ./weights/... checkpoint paths resolve against (default: ./weights;"
          + " for the tiny variant the deterministic tiny checkpoint is written there if missing)")
  Path weightsRoot;

  @Option(names = "--content", defaultValue = "video",
      description = "video or image template (default: ${DEFAULT-VALUE})")
  String content;

  @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu, gpu:N or auto (default: ${DEFAULT-VALUE})")
  String device;

  @Option(names = "--expand", description = "rewrite each prompt with the Qwen model first (the reference's"
      + " prompt beautifier; needs lm_head in the checkpoint)")
  boolean expand;

  @Option(names = "--max-new-tokens", defaultValue = "256",
      description = "expansion length limit (default: ${DEFAULT-VALUE})")
  int maxNewTokens;

  @Parameters(arity = "1..*", paramLabel = "<prompt>")
  List<String> prompts;

  /** The few fields of the model config this command needs. */
  record TextConfig(Path qwenDir, int qwenMaxLength, Path clipDir, int clipMaxLength) {}

  @Override
  public Integer call() throws IOException {
    return run(System.out);
  }

  int run(PrintStream out) throws IOException {
    TextConfig tc = readConfig(model, weightsRoot);
    ai.djl.Device dev = TorchRuntime.device(device);
    TextEncoders.Settings s = new TextEncoders.Settings(tc.qwenDir(), tc.qwenMaxLength(), tc.clipDir(),
        tc.clipMaxLength(), dev, TextPrecision.forDevice(dev).weightType(), expand);
    QwenPromptTokenizer.Content c = QwenPromptTokenizer.Content.parse(content);
    long t0 = System.nanoTime();
    try (TextEncoders enc = TextEncoders.open(s)) {
      List<String> texts = prompts;
      if (expand) {
        PromptExpander ex = enc.expander(maxNewTokens);
        texts = prompts.stream().map(ex::expand).toList();
      }
      List<TextEmbeddings> all = enc.encode(texts, c);
      double ms = (System.nanoTime() - t0) / 1e6;
      for (int i = 0; i < all.size(); i++) {
        TextEmbeddings e = all.get(i);
        out.printf(Locale.ROOT, "prompt %d: %s%n", i, abbreviate(e.prompt()));
        out.printf(Locale.ROOT, "  text_embeds   (%d, %d) %s%n", e.qwenLength(), e.qwenHidden(), checksum(e.qwen()));
        out.printf(Locale.ROOT, "  pooled_embed  (1, %d) %s%n", e.clipHidden(), checksum(e.pooled()));
        out.printf(Locale.ROOT, "  cu_seqlens    [0, %d]  text_rope_pos %d%n", e.qwenLength(), e.textRopeLength());
        out.printf(Locale.ROOT, "  tokens        qwen %d (after cropping %d template tokens)  clip %d%n",
            e.qwenLength(), c.cropStart(), e.clipTokens());
        out.printf(Locale.ROOT, "  truncated     %s (qwen %s, clip %s)%n", e.truncated(), e.qwenTruncated(),
            e.clipTruncated());
      }
      out.printf(Locale.ROOT, "encoded %d prompt(s) in %.0f ms (incl. loading)%n", all.size(), ms);
    }
    return 0;
  }

  /** The text encoder locations of a model config (a YAML path or an embedded name such as "tiny"). */
  static TextConfig readConfig(String model, Path weightsRoot) {
    ModelConfig cfg = ModelConfig.resolve(model);
    Path root = weightsRoot != null ? weightsRoot : Path.of("weights");
    TinyCheckpoint.ensure(cfg, root);
    var te = cfg.textEmbedder();
    return new TextConfig(ModelConfig.resolveWeight(te.qwen().checkpointPath(), root), te.qwen().maxLength(),
        ModelConfig.resolveWeight(te.clip().checkpointPath(), root), te.clip().maxLength());
  }

  static String checksum(float[] v) {
    double sum = 0;
    double sq = 0;
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      sum += f;
      sq += (double) f * f;
      b.putFloat(f);
    }
    CRC32 crc = new CRC32();
    crc.update(b.array());
    return String.format(Locale.ROOT, "sum=%.6f l2=%.6f crc32=%08x", sum, Math.sqrt(sq), crc.getValue());
  }

  private static String abbreviate(String s) {
    String one = s.replace('\n', ' ');
    return one.length() <= 80 ? one : one.substring(0, 77) + "...";
  }
}
