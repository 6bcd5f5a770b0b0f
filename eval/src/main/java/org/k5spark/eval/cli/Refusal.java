package org.k5spark.eval.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.k5spark.core.cli.ExitCode;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How the run commands (compare, report, sbs, fidelity) end on bad input: ONE line on stderr, no stack trace. An
 * input or output they cannot use (a missing or malformed metrics CSV, votes, key, video directory, an
 * unwritable --out) exits {@link ExitCode#REFUSED}; options that do not fit together exit {@link ExitCode#USAGE}.
 */
final class Refusal {
  private Refusal() {}

  static int run(CommandSpec spec, Callable<Integer> body) throws Exception {
    try {
      return body.call();
    } catch (IOException e) {
      return say(spec, e, ExitCode.REFUSED);
    } catch (IllegalArgumentException e) {
      return say(spec, e, ExitCode.USAGE);
    }
  }

  private static int say(CommandSpec spec, Exception e, int code) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    spec.commandLine().getErr().println("k5 " + spec.name() + ": " + m.lines().findFirst().orElse(m).strip());
    spec.commandLine().getErr().flush();
    return code;
  }
}
