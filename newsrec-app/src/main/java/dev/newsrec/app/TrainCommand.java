package dev.newsrec.app;

import dev.newsrec.nn.runtime.Experiment;

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

/** {@code newsrec train --config FILE [--set k=v]... [--out RUN] [--seeds N]}, or {@code --resume RUN}. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train the model a config describes, evaluate it on dev and write a run folder.")
public final class TrainCommand implements Callable<Integer> {
  @Option(names = "--config", description = "Experiment config (YAML), e.g. configs/synth/popularity.yaml")
  Path config;

  @Option(names = "--resume", paramLabel = "RUN", description = "Continue an unfinished run (killed or failed) from its newest checkpoints, with the config it was started with; a multi-seed run's folder resumes every seed that did not finish")
  Path resume;

  @Option(names = "--set", description = "Override a config field: key=value (dotted keys, repeatable)")
  List<String> sets = new ArrayList<>();

  @Option(names = "--out", description = "Run folder to create (default: runs/NAME-TIMESTAMP)")
  Path out;

  @Option(names = "--seeds", description = "Train with N seeds (seed, seed+1, ...): RUN/seed-S/ each, then mean +- std (default: ${DEFAULT-VALUE})")
  int seeds = 1;

  @Override
  public Integer call() {
    if (seeds < 1) throw new dev.newsrec.core.UserException("--seeds must be at least 1");
    if (resume != null) return resume();
    if (config == null) throw new dev.newsrec.core.UserException("give --config FILE (or --resume RUN)");
    ConfigTree tree = ConfigTree.load(config).setAll(sets);
    ExperimentConfig base = Experiment.validate(tree);
    List<String> command = new ArrayList<>(List.of("train", "--config", config.toString()));
    sets.forEach(s -> command.addAll(List.of("--set", s)));
    if (seeds == 1) {
      Experiment.Outcome o = Experiment.run(tree, out, command, System.err, Reports::write);
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
      Experiment.Outcome o = Experiment.run(t, data, parent.resolve(seedFolders.get(k)),
          new Experiment.SharedStages(parent, base.seed()), command, System.err, Reports::write);
      if (o.metrics() != null) rows.add(ResultsTable.row(base.name() + " seed " + seed, o.metrics()));
    }
    System.out.println("runs: " + parent);
    if (!rows.isEmpty()) {
      System.out.print(ResultsTable.render(rows));
      System.out.println(meanStd(rows));
    }
    return 0;
  }

  /**
   * {@code --resume RUN}: a single run continues from its checkpoints; a multi-seed parent folder
   * (seed-S/ folders) keeps its finished seeds and resumes the others.
   */
  private Integer resume() {
    if (config != null || !sets.isEmpty() || out != null || seeds != 1) {
      throw new dev.newsrec.core.UserException("--resume takes no --config, --set, --out or --seeds: "
          + "the run continues with the config in " + resume.resolve(RunFolder.CONFIG));
    }
    List<String> command = List.of("train", "--resume", resume.toString());
    if (java.nio.file.Files.isRegularFile(resume.resolve(RunFolder.CONFIG))) {
      RunFolder run = RunFolder.reopen(resume);
      ExperimentConfig c = Experiment.validate(run.config());
      Experiment.Outcome o = Experiment.resume(run, Experiment.load(c, System.err), null, command, System.err, Reports::write);
      System.out.println("run: " + o.run().dir());
      if (o.metrics() != null) {
        System.out.print(ResultsTable.render(List.of(ResultsTable.row(o.config().name(), o.metrics()))));
      }
      return 0;
    }
    if (!java.nio.file.Files.isDirectory(resume)) {
      throw new dev.newsrec.core.UserException("--resume " + resume + ": not a run folder (no such folder)");
    }
    List<Path> seedDirs = new ArrayList<>();
    try (var s = java.nio.file.Files.list(resume)) {
      s.filter(p -> p.getFileName().toString().matches("seed-\\d+")
          && java.nio.file.Files.isRegularFile(p.resolve(RunFolder.CONFIG))).sorted().forEach(seedDirs::add);
    } catch (java.io.IOException e) {
      throw new dev.newsrec.core.UserException("--resume " + resume + ": " + e.getMessage());
    }
    if (seedDirs.isEmpty()) {
      throw new dev.newsrec.core.UserException("--resume " + resume + ": not a run folder (no "
          + RunFolder.CONFIG + ") and no seed-S/ run folders in it");
    }
    List<ResultsTable.Row> rows = new ArrayList<>();
    Experiment.Data data = null;
    for (Path dir : seedDirs) {
      ExperimentConfig c = Experiment.validate(RunFolder.config(dir));
      if (data == null) data = Experiment.load(c, System.err);
      Experiment.Outcome o;
      if (RunFolder.isIncomplete(dir)) {
        long first = Long.parseLong(seedDirs.get(0).getFileName().toString().substring(5));
        o = Experiment.resume(RunFolder.reopen(dir), data, new Experiment.SharedStages(resume, first), command, System.err, Reports::write);
      } else {
        System.err.println("seed " + c.seed() + ": finished before, kept");
        o = new Experiment.Outcome(RunFolder.open(dir), c, dev.newsrec.core.run.MetricsLog.in(dir).read().finalDev());
      }
      if (o.metrics() != null) rows.add(ResultsTable.row(c.name() + " seed " + c.seed(), o.metrics()));
    }
    System.out.println("runs: " + resume);
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
