package org.k5spark.jobs.cli;

import org.k5spark.core.cli.EncodeCommand;
import org.k5spark.core.cli.ExitCode;
import org.k5spark.core.cli.ParityCommand;
import org.k5spark.core.cli.PlanCommand;
import org.k5spark.core.cli.TinyCheckpointCommand;
import org.k5spark.eval.cli.CompareCommand;
import org.k5spark.eval.cli.FidelityCommand;
import org.k5spark.eval.cli.MetricsCommand;
import org.k5spark.eval.cli.ReportCommand;
import org.k5spark.eval.cli.SbsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code k5} launcher: one CLI, each subcommand owned by the module that implements it, listed in the order of
 * the workflow (generate, score, compare and share, gate; then the model tools), with the one exit-code table.
 */
@Command(name = "k5", mixinStandardHelpOptions = true, version = "k5spark 0.1.0",
    description = "Kandinsky 5.0 text-to-video on Spark: generate, evaluate, compare, report.",
    footer = {"", ExitCode.TABLE},
    subcommands = {
        org.k5spark.jobs.generate.GenerateCommand.class,
        org.k5spark.jobs.evaluate.EvaluateCommand.class,
        CompareCommand.class,
        ReportCommand.class,
        SbsCommand.class,
        FidelityCommand.class,
        org.k5spark.jobs.nightly.NightlyCommand.class,
        MetricsCommand.class,
        org.k5spark.jobs.magcache.MagCacheCalibrateCommand.class,
        PlanCommand.class,
        EncodeCommand.class,
        ParityCommand.class,
        org.k5spark.core.cli.DoctorCommand.class,
        TinyCheckpointCommand.class,
    })
public final class K5 implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new K5()).execute(args));
  }
}
