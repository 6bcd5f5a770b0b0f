package org.k5spark.core.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What a weight file is, told by its first bytes (a name can lie), and which reader may open it. */
enum CheckpointFormat {
  SAFETENSORS,
  /** torch.save since PyTorch 1.6 (or torch.jit.save): a zip; {@link TorchCheckpoint} decides which. */
  TORCH_ZIP,
  /** A bare pickle: torch.save before 1.6 ("legacy" format) or pickle.dump. */
  PICKLE;

  /** The one-line re-save for files no reader here opens; {@code torch.load(weights_only=True)} executes nothing. */
  static final String RESAVE = "re-save it once as safetensors: python3 -c \"import sys, torch;"
      + " from safetensors.torch import save_file; save_file(torch.load(sys.argv[1], map_location='cpu',"
      + " weights_only=True), sys.argv[2])\" IN OUT.safetensors";

  static CheckpointFormat sniff(Path p) {
    byte[] head;
    try (InputStream in = Files.newInputStream(p)) {
      head = in.readNBytes(9);
    } catch (IOException e) {
      return byName(p); // unreadable files are reported by the reader that opens them
    }
    // a safetensors header length can start with the pickle bytes (640 = 80 02 00..), but its JSON starts at byte 8
    if (head.length == 9 && head[8] == '{') {
      return SAFETENSORS;
    }
    if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
      return TORCH_ZIP;
    }
    if (head.length >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5) {
      return PICKLE;
    }
    return byName(p);
  }

  private static CheckpointFormat byName(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".bin") || name.endsWith(".ckpt")
        || name.endsWith(".pkl") || name.endsWith(".pickle") ? PICKLE : SAFETENSORS;
  }

  /** A torch checkpoint by its name, for picking the one weight file of a directory. */
  static boolean torchName(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".bin") || name.endsWith(".ckpt");
  }

  static WeightFileException refusePickle(Path p) {
    return new WeightFileException(p + ": a bare pickle (torch.save before PyTorch 1.6, or pickle.dump), which k5spark"
        + " does not read; " + RESAVE);
  }
}
