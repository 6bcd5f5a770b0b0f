package org.k5spark.core.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

/** Named tensors from one safetensors file, a sharded checkpoint or a torch.save zip ({@link TorchCheckpoint}). */
public interface TensorSource extends AutoCloseable {
  Set<String> keys();

  TensorInfo info(String key);

  /** The file that holds {@code key}, for error messages. */
  Path fileOf(String key);

  /** What was opened (the safetensors file, or the index of a sharded checkpoint), for errors about the whole. */
  Path location();

  /**
   * Loads a tensor on the manager's device as {@code target} (null keeps the stored type; BF16 always
   * becomes FLOAT32 or {@code target}, converted while reading).
   */
  NDArray load(String key, NDManager manager, DataType target);

  /** A float tensor (any float dtype) as float32 values on the heap, for small parameters read in Java. */
  float[] floats(String key);

  @Override
  void close();

  /**
   * Opens a weight path: a {@code .safetensors} file, a {@code *.safetensors.index.json}, a torch.save zip
   * ({@code .pth}/{@code .pt}/{@code .bin}/{@code .ckpt}, read by {@link TorchCheckpoint} without executing
   * anything), or a directory holding one index, else exactly one safetensors file, else exactly one torch
   * checkpoint (safetensors are preferred). The format is told by the file's first bytes, not its name; bare
   * pickles are refused.
   */
  static TensorSource open(Path path) {
    if (!Files.exists(path)) {
      throw new WeightFileException("weight path does not exist: " + path);
    }
    if (Files.isDirectory(path)) {
      try (Stream<Path> s = Files.list(path)) {
        var files = s.filter(Files::isRegularFile).sorted().toList();
        var index = files.stream().filter(p -> p.getFileName().toString().endsWith(".safetensors.index.json")).toList();
        if (index.size() == 1) {
          return ShardedCheckpoint.open(index.get(0));
        }
        var st = files.stream().filter(p -> p.getFileName().toString().endsWith(".safetensors")).toList();
        if (st.size() == 1) {
          return open(st.get(0));
        }
        var torch = files.stream().filter(CheckpointFormat::torchName).toList();
        if (st.isEmpty() && index.isEmpty() && torch.size() == 1) {
          return open(torch.get(0));
        }
        throw new WeightFileException("expected one *.safetensors file, one *.safetensors.index.json or one torch"
            + " checkpoint (.pth/.pt/.bin/.ckpt) in " + path + ", found " + st.size() + " safetensors, " + index.size()
            + " index and " + torch.size() + " torch files");
      } catch (IOException e) {
        throw new WeightFileException("cannot list " + path + ": " + e.getMessage(), e);
      }
    }
    if (path.getFileName().toString().endsWith(".index.json")) {
      return ShardedCheckpoint.open(path);
    }
    return switch (CheckpointFormat.sniff(path)) {
      case TORCH_ZIP -> TorchCheckpoint.open(path);
      case PICKLE -> throw CheckpointFormat.refusePickle(path);
      case SAFETENSORS -> SafetensorsFile.open(path);
    };
  }
}
