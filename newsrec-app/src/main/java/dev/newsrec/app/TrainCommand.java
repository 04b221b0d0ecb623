package dev.newsrec.app;

import dev.newsrec.core.config.ConfigTree;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code newsrec train --config FILE [--set k=v]... [--out RUN]}. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train the model a config describes, evaluate it on dev and write a run folder.")
public final class TrainCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, description = "Experiment config (YAML), e.g. configs/synth/popularity.yaml")
  Path config;

  @Option(names = "--set", description = "Override a config field: key=value (dotted keys, repeatable)")
  List<String> sets = new ArrayList<>();

  @Option(names = "--out", description = "Run folder to create (default: runs/NAME-TIMESTAMP)")
  Path out;

  @Override
  public Integer call() {
    ConfigTree tree = ConfigTree.load(config).setAll(sets);
    List<String> command = new ArrayList<>(List.of("train", "--config", config.toString()));
    sets.forEach(s -> command.addAll(List.of("--set", s)));
    Experiment.Outcome o = Experiment.run(tree, out, command, System.err);
    System.out.println("run: " + o.run().dir());
    if (o.metrics() != null) {
      System.out.print(ResultsTable.render(List.of(ResultsTable.row(o.config().name(), o.metrics()))));
    }
    return 0;
  }
}
