package dev.newsrec.app;

import dev.newsrec.core.UserException;
import dev.newsrec.core.data.DataFormatException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The newsrec command line. */
@Command(
    name = "newsrec",
    mixinStandardHelpOptions = true,
    version = "newsrec 0.1.0",
    description = "News recommendation with pre-trained language models: PUNR, IP2 and baselines.",
    subcommands = {
      CommandLine.HelpCommand.class,
      DataCommand.class,
      TrainCommand.class,
      PredictCommand.class,
      ServeCommand.class,
      QuickstartCommand.class,
      EvaluateCommand.class,
      CompareCommand.class,
      ReproduceCommand.class,
      ConfigsCommand.class,
      BenchCommand.class,
      SparkCommand.class,
    })
public final class Main {
  static {
    Headless.ensure();
  }

  @picocli.CommandLine.Option(names = "--verbose", scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "Also print the libraries' informational log lines (engine, natives, threads)")
  void verbose(boolean on) {
    if (on) Logging.verbose();
  }

  /** The installation folder (the launcher passes it), where configs/ and newsrec-bench/scripts/ live. */
  public static java.nio.file.Path home() {
    return java.nio.file.Path.of(System.getProperty("newsrec.home", "."));
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code; user mistakes print one line, no trace. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof DataFormatException || e instanceof UserException
          || e instanceof UncheckedIOException) {
        cmd.getErr().println("newsrec: error: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    return cli.execute(args);
  }
}
