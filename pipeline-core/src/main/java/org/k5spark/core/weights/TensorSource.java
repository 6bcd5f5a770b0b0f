package org.k5spark.core.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

/** Named tensors from one safetensors file or a sharded checkpoint. */
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

  @Override
  void close();

  /**
   * Opens a weight path: a {@code .safetensors} file, a {@code *.safetensors.index.json}, or a directory
   * holding one index or exactly one safetensors file. Pickle-based files are refused.
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
          return SafetensorsFile.open(st.get(0));
        }
        for (Path p : files) {
          PickleGuard.refuseIfPickle(p);
        }
        throw new WeightFileException("expected one *.safetensors file or one *.safetensors.index.json in " + path
            + ", found " + st.size() + " safetensors and " + index.size() + " index files");
      } catch (IOException e) {
        throw new WeightFileException("cannot list " + path + ": " + e.getMessage(), e);
      }
    }
    if (path.getFileName().toString().endsWith(".index.json")) {
      return ShardedCheckpoint.open(path);
    }
    return SafetensorsFile.open(path);
  }
}
