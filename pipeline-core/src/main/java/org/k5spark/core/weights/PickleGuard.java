package org.k5spark.core.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Refuses pickle-based checkpoints: loading them would mean executing code from a weight file. */
final class PickleGuard {
  private PickleGuard() {}

  static void refuseIfPickle(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean byName = name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".bin")
        || name.endsWith(".ckpt") || name.endsWith(".pkl") || name.endsWith(".pickle");
    boolean byMagic = false;
    try (InputStream in = Files.newInputStream(p)) {
      byte[] head = in.readNBytes(9);
      // pickle protocol 2..5 starts with PROTO (0x80) + version; torch.save zips start with "PK". A safetensors
      // header length can start with the same two bytes (e.g. 640 = 80 02 00..), but its JSON starts at byte 8.
      boolean safetensors = head.length == 9 && head[8] == '{';
      byMagic = !safetensors && head.length >= 2 && ((head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5
          || head[0] == 'P' && head[1] == 'K');
    } catch (IOException ignored) {
      // unreadable files are reported by the caller
    }
    if (byName || byMagic) {
      throw new WeightFileException(p + " is a pickle/torch.save checkpoint; k5spark never executes code from weight"
          + " files. Convert it to safetensors (e.g. safetensors.torch.save_file(torch.load(f, weights_only=True), out))"
          + " and point the config at the .safetensors file");
    }
  }
}
