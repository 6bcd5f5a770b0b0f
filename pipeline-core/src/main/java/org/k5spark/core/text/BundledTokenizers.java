package org.k5spark.core.text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.k5spark.core.io.AtomicFiles;

/**
 * Tokenizer files shipped in this jar: Qwen2.5-VL's real tokenizer.json (gzipped, 1.8 MB; see
 * tools/text/make_qwen_tokenizer.py) and a CLIP-format tokenizer.json with a small vocabulary (the real CLIP
 * vocabulary is not available offline; tools/text/make_clip_tokenizer.py).
 */
public final class BundledTokenizers {
  private static final String BASE = "/org/k5spark/core/text/";

  private BundledTokenizers() {}

  /** Writes {@code dir/tokenizer.json} and {@code dir/tokenizer_config.json} for Qwen2.5-VL. */
  public static void writeQwen(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (InputStream in = new GZIPInputStream(open("qwen2_5_vl-tokenizer.json.gz"))) {
      copy(in, dir.resolve("tokenizer.json"));
    }
    Files.writeString(dir.resolve("tokenizer_config.json"),
        "{\"pad_token\": \"<|endoftext|>\", \"eos_token\": \"<|im_end|>\", \"model_max_length\": 131072,"
            + " \"tokenizer_class\": \"Qwen2Tokenizer\"}\n");
  }

  /** Writes the CLIP-format {@code tokenizer.json} and {@code tokenizer_config.json} into {@code dir}. */
  public static void writeClip(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (InputStream in = open("clip-tokenizer.json")) {
      copy(in, dir.resolve("tokenizer.json"));
    }
    try (InputStream in = open("clip-tokenizer_config.json")) {
      copy(in, dir.resolve("tokenizer_config.json"));
    }
  }

  private static InputStream open(String name) throws IOException {
    InputStream in = BundledTokenizers.class.getResourceAsStream(BASE + name);
    if (in == null) {
      throw new IOException("resource " + BASE + name + " is missing from the classpath");
    }
    return in;
  }

  private static void copy(InputStream in, Path target) throws IOException {
    AtomicFiles.copy(in, target);
  }
}
