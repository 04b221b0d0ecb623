package dev.newsrec.app;

import dev.newsrec.nn.runtime.Experiment;

import dev.newsrec.core.config.ConfigTree;
import dev.newsrec.core.config.ExpectedMetrics;
import dev.newsrec.core.config.ExperimentConfig;
import dev.newsrec.core.metrics.MetricsResult;
import dev.newsrec.core.run.RunFolder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code newsrec reproduce CONFIG...}: runs configs and checks each metric against the config's
 * expected value (papers' numbers, x100) within its tolerance.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
    description = "Run configs and print, per metric, the result, the expected value and OK / FAIL within the config's tolerance.")
public final class ReproduceCommand implements Callable<Integer> {
  @Parameters(paramLabel = "CONFIG", arity = "1..*", description = "Experiment configs with an 'expected' section")
  List<Path> configs;

  @Option(names = "--set", description = "Override a field in every config: key=value (repeatable)")
  List<String> sets = new ArrayList<>();

  @Option(names = "--runs", description = "Parent folder of the run folders (default: runs/)")
  Path runs = Path.of("runs");

  @Override
  public Integer call() {
    // Validate every config first: a typo in the last one should not wait for the first to train.
    List<ConfigTree> trees = new ArrayList<>();
    List<Path> outs = new ArrayList<>();
    String stamp = java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    for (Path c : configs) {
      ConfigTree t = ConfigTree.load(c).setAll(sets);
      Path out = runs.resolve(Experiment.validate(t).name() + "-" + stamp);
      if (outs.contains(out)) out = runs.resolve(out.getFileName() + "-" + (outs.size() + 1));
      RunFolder.check(out);
      trees.add(t);
      outs.add(out);
    }
    int failures = 0;
    StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-32s %-8s %8s %8s %6s  %s%n",
        "config", "metric", "result", "expected", "tol", "verdict"));
    for (int k = 0; k < trees.size(); k++) {
      ConfigTree t = trees.get(k);
      ExperimentConfig c = t.bind("", ExperimentConfig.class);
      Experiment.Outcome o = Experiment.run(t, outs.get(k),
          List.of("reproduce", configs.get(k).toString()), System.err, Reports::write);
      for (ExpectedMetrics.Check ch : ExpectedMetrics.checks(c.expected(), o.metrics())) {
        if (ch.verdict().equals("FAIL")) failures++;
        table.append(String.format(Locale.ROOT, "%-32s %-8s %8.2f %8s %6.2f  %s%n", c.name(), ch.metric(),
            ch.result(), ch.expected() == null ? "-" : String.format(Locale.ROOT, "%.2f", ch.expected()),
            ch.tolerance(), ch.verdict()));
      }
    }
    System.out.print(table);
    System.out.println(failures == 0 ? "all checks OK" : failures + " check(s) FAIL");
    return failures == 0 ? 0 : 1;
  }
}
