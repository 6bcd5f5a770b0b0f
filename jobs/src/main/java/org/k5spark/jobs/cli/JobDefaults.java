package org.k5spark.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A job command's YAML defaults (keys = the command's long option names) under its command line: the file's
 * values become option words, the command's own matched options follow, and an option given on the command
 * line replaces the file's value entirely (lists and maps too).
 */
public final class JobDefaults {
  private JobDefaults() {}

  /** The YAML at {@code path}, or the classpath {@code resource} when no path is given; empty if neither exists. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> load(String path, String resource) throws IOException {
    try (InputStream in = path != null ? Files.newInputStream(Path.of(path))
        : JobDefaults.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return Map.of();
      }
      Map<String, Object> map = new ObjectMapper(new YAMLFactory()).readValue(in, Map.class);
      return map == null ? Map.of() : map;
    }
  }

  /**
   * The words to re-parse a fresh instance of {@code spec}'s command with (overwritten options allowed).
   *
   * @param label names the file in errors, e.g. "job config"
   */
  public static String[] mergedArgs(CommandSpec spec, Map<String, Object> defaults, String label) {
    List<String> args = new ArrayList<>();
    // this command's own matched options (originalArgs() would include a parent command's words)
    CommandLine.ParseResult pr = spec.commandLine().getParseResult();
    for (var e : defaults.entrySet()) {
      CommandLine.Model.OptionSpec option = spec.findOption("--" + e.getKey());
      if (option == null) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            label + " key '" + e.getKey() + "' is not an option of " + spec.name());
      }
      if (pr.hasMatchedOption(option)) {
        continue;
      }
      if (e.getValue() instanceof Map<?, ?> m) {
        m.forEach((k, v) -> args.add("--" + e.getKey() + "=" + k + "=" + v));
      } else if (e.getValue() instanceof List<?> l) {
        l.forEach(v -> args.add("--" + e.getKey() + "=" + v));
      } else if (e.getValue() != null) {
        args.add("--" + e.getKey() + "=" + e.getValue());
      }
    }
    for (CommandLine.Model.OptionSpec o : pr.matchedOptions()) {
      List<String> values = pr.matchedOption(o.longestName()).originalStringValues();
      if (values.isEmpty()) {
        args.add(o.longestName());
      }
      for (String v : values) {
        args.add(o.longestName() + "=" + v);
      }
    }
    return args.toArray(String[]::new);
  }
}
