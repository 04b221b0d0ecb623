package dev.newsrec.nn.runtime;

import dev.newsrec.nn.ModelManifest;
import dev.newsrec.nn.Models;
import dev.newsrec.core.UserException;
import dev.newsrec.core.config.ConfigTree;
import dev.newsrec.core.config.DataConfig;
import dev.newsrec.core.mind.MindTime;
import dev.newsrec.core.config.ExperimentConfig;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.core.metrics.Metrics;
import dev.newsrec.core.metrics.MetricsResult;
import dev.newsrec.core.metrics.Prediction;
import dev.newsrec.core.metrics.PredictionFile;
import dev.newsrec.core.mind.MindFolder;
import dev.newsrec.core.mind.ReadOptions;
import dev.newsrec.core.model.Recommender;
import dev.newsrec.core.model.RecommenderSpec;
import dev.newsrec.core.model.TrainContext;
import dev.newsrec.core.run.Provenance;
import dev.newsrec.core.run.RunFolder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One run of a config: read the data, train the model, save it, score dev, write
 * prediction.txt and the metrics; the runtime under every front end (train, quickstart,
 * reproduce). What a front end adds to a run folder (the report) it writes through {@link Reporter}
 * before the run is marked finished.
 */
public final class Experiment {
  private Experiment() {}

  /** Writes what a front end adds to a finished run's folder (the command line: report.md). */
  @FunctionalInterface
  public interface Reporter {
    void write(RunFolder run, ExperimentConfig config, MetricsResult metrics);

    Reporter NONE = (run, config, metrics) -> {};
  }

  /** What a finished run produced; metrics is null when dev is unlabelled. */
  public record Outcome(RunFolder run, ExperimentConfig config, MetricsResult metrics) {}

  /** The data a config reads, loaded once and shared by the seeds of a multi-seed run. */
  public record Data(List<MindFolder> folders, NewsCorpus corpus, Impressions train, Impressions dev,
      Impressions valid) {
    public List<Path> dirs() {
      return folders.stream().map(MindFolder::dir).toList();
    }

    public List<Path> files() {
      List<Path> files = new ArrayList<>();
      folders.forEach(f -> files.addAll(f.files()));
      return files;
    }
  }

  public static Data load(ExperimentConfig config, PrintStream log) {
    ReadOptions read = config.data().lenient() ? ReadOptions.LENIENT : ReadOptions.STRICT;
    long t0 = System.nanoTime();
    MindFolder train = MindFolder.of(Path.of(config.data().train()));
    MindFolder dev = config.data().dev() == null ? null : MindFolder.of(Path.of(config.data().dev()));
    MindFolder valid = config.data().validFolder() ? MindFolder.of(Path.of(config.data().valid())) : null;
    List<MindFolder> folders = new ArrayList<>(List.of(train));
    if (dev != null) folders.add(dev);
    if (valid != null) folders.add(valid);
    List<String> notes = new ArrayList<>();
    NewsCorpus corpus = MindFolder.corpus(folders, read, notes);
    int cap = config.data().maxTrainImpressions();
    Impressions all = train.impressions(corpus, read, notes);
    Impressions validImps = null;
    if (valid != null) {
      validImps = valid.impressions(corpus, read, notes);
      if (!validImps.labelled()) {
        throw new UserException("data.valid: " + valid.behaviors() + " has no labels; a validation split needs clicks");
      }
    } else if (DataConfig.LAST_DAY.equals(config.data().valid())) {
      Impressions logs = all;
      long day = logs.lastDayStart();
      validImps = logs.filter(i -> logs.time(i) >= day);
      all = logs.filter(i -> logs.time(i) < day);
      if (all.size() == 0) {
        throw new UserException("data.valid: last_day: " + train.behaviors()
            + " has impressions of one day only; nothing is left to train on");
      }
      notes.add("data.valid: last_day: " + validImps.size() + " impressions of "
          + MindTime.format(day).substring(0, 10) + " held out of train for validation");
    }
    Impressions trainImps = all.head(cap > 0 ? cap : Integer.MAX_VALUE);
    // After the cap: the impressions a model trains on must hold a click.
    MindFolder.requireClicks(train.behaviors(), trainImps);
    Impressions devImps = dev == null ? null : dev.impressions(corpus, read, notes);
    notes.forEach(n -> log.println("note: " + n));
    log.printf("data: %d news, %d train impressions, %d dev impressions%s (%.1f s)%n", corpus.size(),
        trainImps.size(), devImps == null ? 0 : devImps.size(),
        validImps == null ? "" : ", " + validImps.size() + " validation impressions",
        (System.nanoTime() - t0) / 1e9);
    return new Data(folders, corpus, trainImps, devImps, validImps);
  }

  /**
   * Binds and checks a config before any data is read (types, ranges, required keys, the folders
   * it reads): a typo fails in milliseconds, every problem in one message.
   */
  public static ExperimentConfig validate(ConfigTree tree) {
    return validate(tree, true);
  }

  /** @param folders also check the data (and PLM) folders; off for a config that is only listed */
  public static ExperimentConfig validate(ConfigTree tree, boolean folders) {
    return tree.bindExperiment(type -> Models.get(type).optionsType(), type -> Models.get(type).stages(),
        folders);
  }

  public static Outcome run(ConfigTree tree, Path out, List<String> command, PrintStream log,
      Reporter reporter) {
    ExperimentConfig config = validate(tree);
    RunFolder.check(out); // an unusable --out fails now, not after the data is read
    return run(tree, load(config, log), out, null, command, log, reporter);
  }

  /** Trains on already loaded data (the config's data section must be the one loaded). */

  /**
   * Where the pre-training stages of a multi-seed run go, and their seed: one pre-training (in the
   * parent folder, with the config's own seed) serves every fine-tuning seed, as both papers do,
   * unless the config sets pretraining_per_seed.
   */
  public record SharedStages(Path dir, long seed) {}

  /** @param shared the stages shared by several seeds; null = the run's own */
  public static Outcome run(ConfigTree tree, Data data, Path out, SharedStages shared,
      List<String> command, PrintStream log, Reporter reporter) {
    ExperimentConfig config = validate(tree);
    return start(tree, config, data, RunFolder.create(out, config.name()), shared, false, command,
        log, reporter);
  }

  /** Continues an unfinished run ({@code train --resume}) from its newest checkpoints. */
  public static Outcome resume(RunFolder run, Data data, SharedStages shared, List<String> command,
      PrintStream log, Reporter reporter) {
    ConfigTree tree = run.config();
    ExperimentConfig config = validate(tree);
    log.println("resume: " + run.dir());
    return start(tree, config, data, run, shared, true, command, log, reporter);
  }

  private static Outcome start(ConfigTree tree, ExperimentConfig config, Data data, RunFolder run,
      SharedStages shared, boolean resume, List<String> command, PrintStream log, Reporter reporter) {
    RecommenderSpec<?> spec = Models.get(config.modelType());
    Object options = ConfigTree.bind(config.modelOptions(), "model", spec.optionsType(), tree.source());
    try {
      Outcome o = run(run, tree, config, spec, options, data, shared, resume, command, log);
      reporter.write(o.run(), o.config(), o.metrics());
      run.finish();
      return o;
    } catch (RuntimeException | Error e) {
      log.println("note: run folder " + run.dir() + " is marked " + RunFolder.INCOMPLETE
          + "; a new run with --out " + run.dir() + " replaces it");
      throw e;
    }
  }

  private static Outcome run(RunFolder run, ConfigTree tree, ExperimentConfig config,
      RecommenderSpec<?> spec, Object options, Data data, SharedStages shared, boolean resume,
      List<String> command, PrintStream log) {
    run.writeConfig(tree);
    run.writeProvenance(Provenance.collect(config.seed(), data.files(), command, libraries()));

    long t1 = System.nanoTime();
    log.printf("train: %s (seed %d) -> %s%n", config.modelType(), config.seed(), run.dir());
    boolean perSeed = shared == null || config.pretrainingPerSeed();
    Recommender model = train(spec, options, new TrainContext(data.train(), data.dev(), data.valid(),
        config.seed(), run.dir(), log::println, data.dirs(), config.pretraining(),
        perSeed ? run.dir() : shared.dir(), perSeed ? config.seed() : shared.seed(),
        config.initFrom() == null ? null : Path.of(config.initFrom()), resume));
    saveModel(model, run.file(RunFolder.MODEL), config, run.file(RunFolder.PROVENANCE));
    log.printf("trained in %.1f s%n", (System.nanoTime() - t1) / 1e9);

    MetricsResult metrics = null;
    Impressions devImps = data.dev();
    if (devImps != null) {
      Prediction prediction = Prediction.fromScores(devImps, model.score(devImps));
      PredictionFile.write(run.file(RunFolder.PREDICTION), prediction);
      if (devImps.labelled()) {
        // from the written ranks, as evaluate and the leaderboard score the file (ties included)
        metrics = Metrics.evaluate(devImps, prediction);
        var byHistory = Metrics.byHistoryLength(devImps, prediction);
        run.metrics().append(dev.newsrec.core.run.MetricsLog.Line.finalDev(metrics, byHistory));
        log.print("dev by clicks in the user's history:\n" + byHistory.table());
      }
    }
    return new Outcome(run, config, metrics);
  }

  /** Library versions a run's provenance records (engine natives as built into the class path). */
  public static Map<String, String> libraries() {
    Map<String, String> v = new java.util.LinkedHashMap<>();
    v.put("djl", ai.djl.engine.Engine.getDjlVersion());
    v.put("pytorch-native", "2.5.1");
    v.put("jackson", com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
    return v;
  }

  @SuppressWarnings("unchecked")
  private static <O> Recommender train(RecommenderSpec<O> spec, Object options, TrainContext c) {
    return spec.train((O) options, c);
  }

  @SuppressWarnings("unchecked")
  public static <O> Recommender load(RecommenderSpec<O> spec, Object options, Path dir) {
    return spec.load((O) options, dir);
  }

  /**
   * Saves into model/ through a temporary folder, so a failed save leaves no half model; the
   * folder's manifest lets it load without the config.
   */
  public static void saveModel(Recommender model, Path dir, ExperimentConfig config, Path provenance) {
    dev.newsrec.core.io.AtomicFiles.writeFolder(dir, d -> {
      model.save(d);
      com.fasterxml.jackson.databind.JsonNode prov = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(provenance.toFile());
      ModelManifest.write(d, config.modelType(), config.modelOptions(), prov);
    });
  }

  /** Loads the trained model of a run folder. */
  public static Recommender loadModel(RunFolder run) {
    Path dir = run.file(RunFolder.MODEL);
    if (java.nio.file.Files.isRegularFile(dir.resolve(ModelManifest.FILE))) return ModelManifest.load(dir);
    ConfigTree tree = run.config(); // a run saved before model manifests
    ExperimentConfig config = tree.bind("", ExperimentConfig.class);
    RecommenderSpec<?> spec = Models.get(config.modelType());
    Object options = ConfigTree.bind(config.modelOptions(), "model", spec.optionsType(), tree.source());
    return load(spec, options, run.file(RunFolder.MODEL));
  }
}
