package org.k5spark.core.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A HF sharded checkpoint: {@code model.safetensors.index.json} with a weight_map over shard files. */
public final class ShardedCheckpoint implements TensorSource {
  private final Path index;
  private final Map<String, SafetensorsFile> byKey;
  private final Map<String, SafetensorsFile> shards;

  private ShardedCheckpoint(Path index, Map<String, SafetensorsFile> byKey, Map<String, SafetensorsFile> shards) {
    this.index = index;
    this.byKey = byKey;
    this.shards = shards;
  }

  public static ShardedCheckpoint open(Path index) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(index));
    } catch (IOException e) {
      throw new WeightFileException("cannot read checkpoint index " + index + ": " + e.getMessage(), e);
    }
    JsonNode map = root == null ? null : root.get("weight_map");
    if (map == null || !map.isObject()) {
      throw new WeightFileException(index + ": no weight_map object");
    }
    Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
    Map<String, SafetensorsFile> byKey = new LinkedHashMap<>();
    try {
      for (var it = map.fields(); it.hasNext(); ) {
        var e = it.next();
        String shardName = e.getValue().asText();
        if (shardName.contains("/") || shardName.contains("\\") || shardName.startsWith(".")) {
          throw new WeightFileException(index + ": shard name '" + shardName + "' for '" + e.getKey() + "' is not a plain file name");
        }
        SafetensorsFile shard = shards.get(shardName);
        if (shard == null) {
          shard = SafetensorsFile.open(index.resolveSibling(shardName));
          shards.put(shardName, shard);
        }
        if (!shard.keys().contains(e.getKey())) {
          throw new WeightFileException(index + ": weight_map puts '" + e.getKey() + "' in " + shardName + ", which does not hold it");
        }
        byKey.put(e.getKey(), shard);
      }
    } catch (RuntimeException e) {
      shards.values().forEach(SafetensorsFile::close);
      throw e;
    }
    return new ShardedCheckpoint(index, Collections.unmodifiableMap(byKey), shards);
  }

  private SafetensorsFile shard(String key) {
    SafetensorsFile s = byKey.get(key);
    if (s == null) {
      throw new WeightFileException(index + ": no tensor '" + key + "' in the weight_map");
    }
    return s;
  }

  @Override
  public Set<String> keys() {
    return byKey.keySet();
  }

  @Override
  public TensorInfo info(String key) {
    return shard(key).info(key);
  }

  @Override
  public Path fileOf(String key) {
    return shard(key).path();
  }

  @Override
  public Path location() {
    return index;
  }

  @Override
  public NDArray load(String key, NDManager manager, DataType target) {
    return shard(key).load(key, manager, target);
  }

  @Override
  public float[] floats(String key) {
    return shard(key).floats(key);
  }

  @Override
  public void close() {
    shards.values().forEach(SafetensorsFile::close);
  }
}
