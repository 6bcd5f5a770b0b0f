package org.k5spark.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.k5spark.core.config.UnknownKeys;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * A job command's YAML defaults (keys = the command's long option names) under its command line: the file's
 * values become option words, the command's own matched options follow, and an option given on the command
 * line replaces the file's value entirely (lists and maps too).
 *
 * <p>The file is strict: a key that is not an option, a list or map where the option takes one value, or a value
 * of the wrong type is a {@link ParameterException} with one line naming the file, the key and the value (a
 * misspelt key would otherwise be ignored and the built-in default used).
 */
public final class JobDefaults {
  private JobDefaults() {}

  /**
   * Parses {@code fresh} (a new instance of {@code spec}'s command) from the YAML at {@code path} (or the classpath
   * {@code resource} when no path is given; nothing when neither exists) followed by the command's own options.
   *
   * @param configOption the option that names the file, e.g. "--job-config" (not itself a key of the file)
   */
  public static <T> T apply(CommandSpec spec, String path, String resource, String configOption, T fresh) {
    String source = path != null ? path : "classpath:" + resource;
    Map<String, Object> defaults = load(spec, path, resource, source);
    Set<String> fromFile = new HashSet<>();
    String[] args = mergedArgs(spec, defaults, source, configOption, fromFile);
    try {
      new CommandLine(fresh).setOverwrittenOptionsAllowed(true).parseArgs(args);
    } catch (ParameterException e) {
      // the command line itself parsed once already: a failure now comes from a value of the file
      if (e.getArgSpec() instanceof OptionSpec o && fromFile.contains(o.longestName())) {
        throw new ParameterException(spec.commandLine(), source + ": key '" + key(o) + "' " + expected(o) + ", got '"
            + e.getValue() + "'");
      }
      throw new ParameterException(spec.commandLine(), source + ": " + e.getMessage());
    }
    return fresh;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> load(CommandSpec spec, String path, String resource, String source) {
    if (path != null && !Files.isRegularFile(Path.of(path))) {
      throw new ParameterException(spec.commandLine(), source + ": " + (Files.isDirectory(Path.of(path))
          ? "is a directory, not a YAML file" : "no such file"));
    }
    try (InputStream in = path != null ? Files.newInputStream(Path.of(path))
        : JobDefaults.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return Map.of();
      }
      Object tree = new ObjectMapper(new YAMLFactory()).readValue(in, Object.class);
      if (tree == null) {
        return Map.of();
      }
      if (!(tree instanceof Map<?, ?>)) {
        throw new ParameterException(spec.commandLine(), source + ": expected a mapping of option names to values, got '"
            + tree + "'");
      }
      return (Map<String, Object>) tree;
    } catch (IOException e) {
      // Jackson's message spans lines (snippet, pointer); its first line says what is wrong and where
      throw new ParameterException(spec.commandLine(), source + ": not valid YAML: " + e.getMessage().lines().findFirst()
          .orElse(e.toString()));
    }
  }

  private static String[] mergedArgs(CommandSpec spec, Map<String, Object> defaults, String source, String configOption,
      Set<String> fromFile) {
    List<String> args = new ArrayList<>();
    // this command's own matched options (originalArgs() would include a parent command's words)
    CommandLine.ParseResult pr = spec.commandLine().getParseResult();
    for (var e : defaults.entrySet()) {
      OptionSpec option = spec.findOption("--" + e.getKey());
      if (option == null || option.usageHelp() || option.versionHelp() || option.longestName().equals(configOption)) {
        throw new ParameterException(spec.commandLine(), UnknownKeys.message(source, e.getKey(), keys(spec, configOption)));
      }
      Object v = e.getValue();
      if ((v instanceof Map<?, ?> && !option.typeInfo().isMap())
          || (v instanceof List<?> && !option.typeInfo().isMultiValue())) {
        throw new ParameterException(spec.commandLine(), source + ": key '" + e.getKey() + "' takes one value, got " + v);
      }
      if (pr.hasMatchedOption(option)) {
        continue;
      }
      fromFile.add(option.longestName());
      if (v instanceof Map<?, ?> m) {
        m.forEach((k, x) -> args.add("--" + e.getKey() + "=" + k + "=" + x));
      } else if (v instanceof List<?> l) {
        l.forEach(x -> args.add("--" + e.getKey() + "=" + x));
      } else if (v != null) {
        args.add("--" + e.getKey() + "=" + v);
      }
    }
    for (OptionSpec o : pr.matchedOptions()) {
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

  /** The keys a file may hold: the long option names without "--", in the command's order. */
  private static List<String> keys(CommandSpec spec, String configOption) {
    return spec.options().stream()
        .filter(o -> !o.usageHelp() && !o.versionHelp() && !o.longestName().equals(configOption)
            && o.longestName().startsWith("--"))
        .map(JobDefaults::key).toList();
  }

  private static String key(OptionSpec o) {
    return o.longestName().substring(2);
  }

  /** What a value of the option must look like, from its (element) type. */
  private static String expected(OptionSpec o) {
    Class<?> t = o.type();
    if (o.typeInfo().isMultiValue()) {
      Class<?>[] aux = o.auxiliaryTypes();
      t = aux[aux.length - 1];
    }
    if (t == int.class || t == Integer.class || t == long.class || t == Long.class || t == short.class) {
      return "must be an integer";
    }
    if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
      return "must be a number";
    }
    if (t == boolean.class || t == Boolean.class) {
      return "must be true or false";
    }
    if (t.isEnum()) {
      return "must be one of " + java.util.Arrays.toString(t.getEnumConstants());
    }
    return "has a value that " + o.longestName() + " does not accept";
  }
}
