package org.k5spark.eval.cli;

import org.k5spark.core.cli.ExitCode;
import org.k5spark.eval.compare.Comparison;
import org.k5spark.eval.compare.Protocol;
import picocli.CommandLine.Option;

/**
 * {@code --allow-protocol-mismatch} of {@code k5 compare} and {@code k5 report}: runs whose protocols
 * ({@link Protocol}) differ in anything but the checkpoint are refused with the differing keys named, exit
 * {@link ExitCode#USAGE} (the runs are readable; asking to compare them is what is wrong, like an argument of the
 * wrong kind), unless the option is given; then the outputs carry a "protocol mismatch" label.
 */
public final class ProtocolCheck {
  @Option(names = "--allow-protocol-mismatch", description = "Compare runs whose protocols (run card: prompts,"
      + " samples, seeds, steps, guidance, scheduler_scale, size, frames, estimators, ...) differ in more than the"
      + " checkpoint; the outputs are labelled. Without it such runs are refused (exit 2).")
  boolean allowProtocolMismatch;

  /** Null to go on; else the exit code, after one line on stderr naming the differing keys. */
  public Integer refuse(Comparison c, String command) {
    String why = Protocol.refusal(c.runs());
    if (why == null) {
      return null;
    }
    if (allowProtocolMismatch) {
      System.err.println(command + ": warning: " + why.substring(0, why.indexOf(" (pass --allow")));
      return null;
    }
    System.err.println(command + ": " + why);
    return ExitCode.USAGE;
  }
}
