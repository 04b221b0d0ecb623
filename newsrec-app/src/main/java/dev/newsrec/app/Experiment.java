package dev.newsrec.app;

import dev.newsrec.nn.ModelManifest;
import dev.newsrec.nn.Models;
import dev.newsrec.core.config.ConfigTree;
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
 * prediction.txt and the metrics. The train command, the quickstart and reproduce share it.
 */
public final class Experiment {
  private Experiment() {}

  /** What a finished run produced; metrics is null when dev is unlabelled. */
  public record Outcome(RunFolder run, ExperimentConfig config, MetricsResult metrics) {}

  /** The data a config reads, loaded once and shared by the seeds of a multi-seed run. */
  public record Data(List<MindFolder> folders, NewsCorpus corpus, Impressions train, Impressions dev) {
    List<Path> files() {
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
    List<MindFolder> folders = dev == null ? List.of(train) : List.of(train, dev);
    List<String> notes = new ArrayList<>();
    NewsCorpus corpus = MindFolder.corpus(folders, read, notes);
    int cap = config.data().maxTrainImpressions();
    Impressions trainImps = train.impressions(corpus, read, notes).head(cap > 0 ? cap : Integer.MAX_VALUE);
    // After the cap: the impressions a model trains on must hold a click.
    MindFolder.requireClicks(train.behaviors(), trainImps);
    Impressions devImps = dev == null ? null : dev.impressions(corpus, read, notes);
    notes.forEach(n -> log.println("note: " + n));
    log.printf("data: %d news, %d train impressions, %d dev impressions (%.1f s)%n", corpus.size(),
        trainImps.size(), devImps == null ? 0 : devImps.size(), (System.nanoTime() - t0) / 1e9);
    return new Data(folders, corpus, trainImps, devImps);
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
    return tree.bindExperiment(type -> Models.get(type).optionsType(), folders);
  }

  public static Outcome run(ConfigTree tree, Path out, List<String> command, PrintStream log) {
    ExperimentConfig config = validate(tree);
    RunFolder.check(out); // an unusable --out fails now, not after the data is read
    return run(tree, load(config, log), out, command, log);
  }

  /** Trains on already loaded data (the config's data section must be the one loaded). */
  public static Outcome run(ConfigTree tree, Data data, Path out, List<String> command,
      PrintStream log) {
    ExperimentConfig config = validate(tree);
    RecommenderSpec<?> spec = Models.get(config.modelType());
    Object options = ConfigTree.bind(config.modelOptions(), "model", spec.optionsType(), tree.source());
    RunFolder run = RunFolder.create(out, config.name());
    try {
      Outcome o = run(run, tree, config, spec, options, data, command, log);
      run.finish();
      return o;
    } catch (RuntimeException | Error e) {
      log.println("note: run folder " + run.dir() + " is marked " + RunFolder.INCOMPLETE
          + "; a new run with --out " + run.dir() + " replaces it");
      throw e;
    }
  }

  private static Outcome run(RunFolder run, ConfigTree tree, ExperimentConfig config,
      RecommenderSpec<?> spec, Object options, Data data, List<String> command, PrintStream log) {
    run.writeConfig(tree);
    run.writeProvenance(Provenance.collect(config.seed(), data.files(), command, libraries()));

    long t1 = System.nanoTime();
    log.printf("train: %s (seed %d) -> %s%n", config.modelType(), config.seed(), run.dir());
    Recommender model = train(spec, options, new TrainContext(data.train(), data.dev(),
        config.seed(), run.dir(), log::println));
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
        run.appendMetrics("{\"split\":\"dev\",\"stage\":\"final\",\"metrics\":" + metrics.toJson() + "}");
      }
    }
    Reports.write(run, config, metrics);
    return new Outcome(run, config, metrics);
  }

  /** Library versions a run's provenance records (engine natives as built into the class path). */
  static Map<String, String> libraries() {
    Map<String, String> v = new java.util.LinkedHashMap<>();
    v.put("djl", ai.djl.engine.Engine.getDjlVersion());
    v.put("pytorch-native", "2.5.1");
    v.put("picocli", picocli.CommandLine.VERSION);
    v.put("jackson", com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
    return v;
  }

  @SuppressWarnings("unchecked")
  private static <O> Recommender train(RecommenderSpec<O> spec, Object options, TrainContext c) {
    return spec.train((O) options, c);
  }

  @SuppressWarnings("unchecked")
  static <O> Recommender load(RecommenderSpec<O> spec, Object options, Path dir) {
    return spec.load((O) options, dir);
  }

  /**
   * Saves into model/ through a temporary folder, so a failed save leaves no half model; the
   * folder's manifest lets it load without the config.
   */
  static void saveModel(Recommender model, Path dir, ExperimentConfig config, Path provenance) {
    dev.newsrec.core.io.AtomicFiles.writeFolder(dir, d -> {
      model.save(d);
      com.fasterxml.jackson.databind.JsonNode prov = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(provenance.toFile());
      ModelManifest.write(d, config.modelType(), config.modelOptions(), prov);
    });
  }

  /** Loads the trained model of a run folder. */
  static Recommender loadModel(RunFolder run) {
    Path dir = run.file(RunFolder.MODEL);
    if (java.nio.file.Files.isRegularFile(dir.resolve(ModelManifest.FILE))) return ModelManifest.load(dir);
    ConfigTree tree = run.config(); // a run saved before model manifests
    ExperimentConfig config = tree.bind("", ExperimentConfig.class);
    RecommenderSpec<?> spec = Models.get(config.modelType());
    Object options = ConfigTree.bind(config.modelOptions(), "model", spec.optionsType(), tree.source());
    return load(spec, options, run.file(RunFolder.MODEL));
  }
}
