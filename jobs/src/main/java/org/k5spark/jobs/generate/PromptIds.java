package org.k5spark.jobs.generate;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;

/** Content-derived prompt ids and per-prompt seeds: stable across runs, file order and machines. */
public final class PromptIds {
  private PromptIds() {}

  /** NFC, every whitespace run (newlines included) to one space, trimmed. Case is kept: it reaches the model. */
  public static String normalise(String text) {
    return Normalizer.normalize(text, Normalizer.Form.NFC).replaceAll("\\s+", " ").strip();
  }

  /** First 16 hex digits of sha256 over the normalised prompt: a safe file name, no path characters. */
  public static String promptId(String normalisedPrompt) {
    return HexFormat.of().formatHex(sha256(normalisedPrompt)).substring(0, 16);
  }

  /** A non-negative 31-bit seed from (baseSeed, promptId); 31 bits so every tool (numpy included) accepts it. */
  public static long seed(long baseSeed, String promptId) {
    byte[] h = sha256(baseSeed + ":" + promptId);
    return ByteBuffer.wrap(h).getInt() & 0x7fffffffL;
  }

  /**
   * The seed of sample {@code k} of a prompt whose (sample 0) seed is {@code promptSeed}: {@code (promptSeed + k)
   * mod 2^31}, MLPerf's T2V rule (seed = base + iteration) applied per prompt. Sample k's seed does not depend on
   * how many samples the run asks for, so K=4 after K=3 adds exactly one video per prompt.
   */
  public static long sampleSeed(long promptSeed, int k) {
    return (promptSeed + k) & 0x7fffffffL;
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
