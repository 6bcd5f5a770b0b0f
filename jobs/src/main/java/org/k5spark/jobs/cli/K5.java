package org.k5spark.jobs.cli;

import org.k5spark.core.cli.EncodeCommand;
import org.k5spark.core.cli.ParityCommand;
import org.k5spark.core.cli.TinyCheckpointCommand;
import org.k5spark.eval.cli.CompareCommand;
import org.k5spark.eval.cli.FidelityCommand;
import org.k5spark.eval.cli.MetricsCommand;
import org.k5spark.eval.cli.ReportCommand;
import org.k5spark.eval.cli.SbsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code k5} launcher: one CLI, each subcommand owned by the module that implements it. */
@Command(name = "k5", mixinStandardHelpOptions = true, version = "k5spark 0.1.0",
    description = "Kandinsky 5.0 text-to-video on Spark: generate, evaluate, compare, report.",
    subcommands = {
        ParityCommand.class,
        org.k5spark.core.cli.DoctorCommand.class,
        TinyCheckpointCommand.class,
        EncodeCommand.class,
        CompareCommand.class,
        ReportCommand.class,
        SbsCommand.class,
        MetricsCommand.class,
        FidelityCommand.class,
        org.k5spark.jobs.generate.GenerateCommand.class,
        org.k5spark.jobs.evaluate.EvaluateCommand.class,
        org.k5spark.jobs.nightly.NightlyCommand.class,
        org.k5spark.jobs.magcache.MagCacheCalibrateCommand.class,
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
