package org.k5spark.core.golden;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.k5spark.core.weights.SafetensorsFile;
import org.k5spark.core.weights.TensorInfo;

/**
 * One golden case directory in the {@code ../shared/golden} format: case.json plus safetensors files.
 * Every size comes from case.json and the tensors; nothing is assumed about the case.
 */
public final class GoldenCase implements AutoCloseable {
  /** A tensor reference of case.json: file, key, optional tolerance / exact comparison. */
  public record Ref(String name, String file, String key, Tolerance tolerance, boolean exact) {}

  private final Path dir;
  private final JsonNode json;
  private final Map<String, Ref> inputs;
  private final Map<String, Ref> outputs;
  private final Map<String, Ref> trace;
  private final Tolerance tolerance;
  private final Map<String, SafetensorsFile> files = new HashMap<>();

  private GoldenCase(Path dir, JsonNode json) {
    this.dir = dir;
    this.json = json;
    this.tolerance = Tolerance.parse(json.get("tolerance"), new Tolerance(0, 0));
    this.inputs = refs(json.get("inputs"));
    this.outputs = refs(json.get("outputs"));
    this.trace = refs(json.get("trace"));
  }

  public static GoldenCase open(Path dir) {
    Path cj = dir.resolve("case.json");
    if (!Files.isRegularFile(cj)) {
      throw new IllegalArgumentException(dir + " is not a golden case (no case.json)");
    }
    try {
      JsonNode n = new ObjectMapper().readTree(Files.readString(cj));
      if (n == null || !n.hasNonNull("kind")) {
        throw new IllegalArgumentException(cj + ": no \"kind\"");
      }
      return new GoldenCase(dir, n);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + cj + ": " + e.getMessage(), e);
    }
  }

  private Map<String, Ref> refs(JsonNode n) {
    Map<String, Ref> m = new LinkedHashMap<>();
    if (n == null || !n.isObject()) {
      return m;
    }
    n.fields().forEachRemaining(e -> {
      JsonNode v = e.getValue();
      boolean exact = v.has("compare") && "exact".equals(v.get("compare").asText());
      Tolerance t = Tolerance.parse(v.get("tolerance"), tolerance);
      m.put(e.getKey(), new Ref(e.getKey(), v.get("file").asText(), v.get("key").asText(), t, exact));
    });
    return m;
  }

  public Path dir() {
    return dir;
  }

  public String kind() {
    return json.get("kind").asText();
  }

  public String precision() {
    return json.path("precision").asText("fp32");
  }

  public JsonNode json() {
    return json;
  }

  public JsonNode config() {
    return json.path("config");
  }

  public Map<String, Ref> inputs() {
    return inputs;
  }

  public Map<String, Ref> outputs() {
    return outputs;
  }

  public Map<String, Ref> trace() {
    return trace;
  }

  public boolean hasInput(String name) {
    return inputs.containsKey(name);
  }

  /** Loads input {@code name} with its stored dtype (F32 stays float32, I64 int64, ...). */
  public NDArray input(String name, NDManager manager) {
    Ref r = inputs.get(name);
    if (r == null) {
      throw new IllegalArgumentException(dir + ": case has no input '" + name + "' (has " + inputs.keySet() + ")");
    }
    return tensor(r, manager);
  }

  public NDArray tensor(Ref r, NDManager manager) {
    return file(r.file()).load(r.key(), manager, null);
  }

  public TensorInfo info(Ref r) {
    return file(r.file()).info(r.key());
  }

  public SafetensorsFile file(String name) {
    return files.computeIfAbsent(name, f -> SafetensorsFile.open(dir.resolve(f)));
  }

  /** The weights location of case.json ("weights.safetensors" or "vae/"), resolved in the case dir. */
  public Path weightsPath() {
    return dir.resolve(json.path("weights").asText("weights.safetensors"));
  }

  @Override
  public void close() {
    files.values().forEach(SafetensorsFile::close);
    files.clear();
  }
}
