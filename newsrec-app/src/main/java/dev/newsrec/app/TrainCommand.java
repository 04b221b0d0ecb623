package dev.newsrec.app;

import dev.newsrec.core.config.ConfigTree;
import dev.newsrec.core.config.ExperimentConfig;
import dev.newsrec.core.run.RunFolder;
import dev.newsrec.core.stats.Significance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code newsrec train --config FILE [--set k=v]... [--out RUN] [--seeds N]}. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train the model a config describes, evaluate it on dev and write a run folder.")
public final class TrainCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, description = "Experiment config (YAML), e.g. configs/synth/popularity.yaml")
  Path config;

  @Option(names = "--set", description = "Override a config field: key=value (dotted keys, repeatable)")
  List<String> sets = new ArrayList<>();

  @Option(names = "--out", description = "Run folder to create (default: runs/NAME-TIMESTAMP)")
  Path out;

  @Option(names = "--seeds", description = "Train with N seeds (seed, seed+1, ...): RUN/seed-S/ each, then mean +- std (default: ${DEFAULT-VALUE})")
  int seeds = 1;

  @Override
  public Integer call() {
    if (seeds < 1) throw new dev.newsrec.core.UserException("--seeds must be at least 1");
    ConfigTree tree = ConfigTree.load(config).setAll(sets);
    ExperimentConfig base = Experiment.validate(tree);
    List<String> command = new ArrayList<>(List.of("train", "--config", config.toString()));
    sets.forEach(s -> command.addAll(List.of("--set", s)));
    if (seeds == 1) {
      Experiment.Outcome o = Experiment.run(tree, out, command, System.err);
      System.out.println("run: " + o.run().dir());
      if (o.metrics() != null) {
        System.out.print(ResultsTable.render(List.of(ResultsTable.row(o.config().name(), o.metrics()))));
      }
      return 0;
    }
    command.addAll(List.of("--seeds", Integer.toString(seeds)));
    Path parent = out != null ? out : Path.of("runs", base.name() + "-" + seeds + "seeds-"
        + java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    List<String> seedFolders = new ArrayList<>();
    for (int k = 0; k < seeds; k++) seedFolders.add("seed-" + (base.seed() + k));
    RunFolder.checkAll(parent, seedFolders);
    Experiment.Data data = Experiment.load(base, System.err);
    List<ResultsTable.Row> rows = new ArrayList<>();
    for (int k = 0; k < seeds; k++) {
      long seed = base.seed() + k;
      ConfigTree t = ConfigTree.load(config).setAll(sets).set("seed=" + seed);
      Experiment.Outcome o = Experiment.run(t, data, parent.resolve(seedFolders.get(k)), command, System.err);
      if (o.metrics() != null) rows.add(ResultsTable.row(base.name() + " seed " + seed, o.metrics()));
    }
    System.out.println("runs: " + parent);
    if (!rows.isEmpty()) {
      System.out.print(ResultsTable.render(rows));
      System.out.println(meanStd(rows));
    }
    return 0;
  }

  /** "mean +- std" per metric over the seeds' rows, x100. */
  static String meanStd(List<ResultsTable.Row> rows) {
    StringBuilder sb = new StringBuilder("mean +- std over " + rows.size() + " seeds:");
    String[] names = {"AUC", "MRR", "nDCG@5", "nDCG@10"};
    List<ToDoubleFunction<ResultsTable.Row>> fs = List.of(r -> r.metrics().auc(),
        r -> r.metrics().mrr(), r -> r.metrics().ndcg5(), r -> r.metrics().ndcg10());
    for (int m = 0; m < 4; m++) {
      double[] v = rows.stream().mapToDouble(fs.get(m)).map(x -> 100 * x).toArray();
      Significance.MeanStd s = Significance.meanStd(v);
      sb.append(String.format(Locale.ROOT, "  %s %.2f +- %.2f", names[m], s.mean(), s.std()));
    }
    return sb.toString();
  }
}
