package dev.newsrec.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.newsrec.core.UserException;
import dev.newsrec.core.config.ConfigTree;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.core.mind.MindFolder;
import dev.newsrec.core.mind.MindReader;
import dev.newsrec.core.mind.ReadOptions;
import dev.newsrec.core.mind.ReadReport;
import dev.newsrec.core.model.Recommender;
import dev.newsrec.core.run.RunFolder;
import dev.newsrec.nn.ModelManifest;
import dev.newsrec.nn.infer.NewsScoring;
import dev.newsrec.nn.infer.NewsVectorFile;
import dev.newsrec.nn.infer.Scorer;
import dev.newsrec.nn.rec.NeuralRecommender;
import dev.newsrec.nn.runtime.Experiment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A trained neural run made ready to serve: the model loaded from its folder, the corpus read, and
 * a vector for every news of the corpus (computed here, or read from a {@code predict --vectors}
 * file stamped with this model's checksum).
 */
public final class ServedModel {
  private final Path runDir;
  private final String seed;
  private final NeuralRecommender model;
  private final JsonNode manifest;
  private final String checksum;
  private final NewsCorpus corpus;
  private final NewsScoring scoring;
  private final List<Path> newsFiles;
  private final int corpusSize;

  private ServedModel(Path runDir, String seed, NeuralRecommender model, JsonNode manifest, String checksum,
      NewsCorpus corpus, NewsScoring scoring, List<Path> newsFiles) {
    this.runDir = runDir;
    this.seed = seed;
    this.model = model;
    this.manifest = manifest;
    this.checksum = checksum;
    this.corpus = corpus;
    this.scoring = scoring;
    this.newsFiles = newsFiles;
    this.corpusSize = corpus.size();
  }

  /**
   * @param seed the seed to serve of a multi-seed run (null: the first)
   * @param news news.tsv files of the corpus (empty: the run's training and dev news.tsv)
   * @param vectors a news vector file of this model, or null to compute the vectors now
   */
  public static ServedModel load(Path runDir, Long seed, List<Path> news, Path vectors, Consumer<String> log) {
    Path dir = runOf(runDir, seed, log);
    RunFolder run = RunFolder.open(dir);
    List<Path> files = newsFiles(run, news);
    Recommender loaded = Experiment.loadModel(run);
    if (!(loaded instanceof NeuralRecommender model)) {
      throw new UserException("run folder " + dir + ": a " + loaded.type()
          + " model has no news or user vectors to serve; serve a neural model (nrms, plmnr, ...)");
    }
    NewsCorpus corpus = new NewsCorpus();
    for (Path f : files) {
      ReadReport report = new ReadReport();
      MindReader.readNews(f, corpus, ReadOptions.STRICT, report);
      String summary = report.summary(f.toString());
      if (!summary.isEmpty()) log.accept("note: " + summary);
    }
    if (corpus.size() == 0) throw new UserException(String.join(", ", files.stream().map(Path::toString).toList()) + ": no news");
    Path modelDir = run.file(RunFolder.MODEL);
    String checksum = ModelManifest.checksum(modelDir);
    NewsScoring scoring = model.scoring(corpus);
    if (vectors != null) preload(scoring, corpus, vectors, checksum, log);
    encodeMissing(scoring, corpus.size(), log);
    return new ServedModel(dir, seed == null && dir.equals(runDir) ? null : dir.getFileName().toString(), model,
        ModelManifest.read(modelDir), checksum, corpus, scoring, files);
  }

  /** Checks the run folder (and seed) and the corpus files without loading anything. */
  public static void checkRun(Path runDir, Long seed, List<Path> news) {
    newsFiles(RunFolder.open(runOf(runDir, seed, line -> {})), news);
  }

  private static List<Path> newsFiles(RunFolder run, List<Path> news) {
    List<Path> files = news.isEmpty() ? configuredNews(run) : List.copyOf(news);
    for (Path f : files) {
      if (!Files.isRegularFile(f)) throw new UserException("--news " + f + ": no such file");
    }
    return files;
  }

  /** The run folder itself, or the chosen seed's folder of a multi-seed run. */
  static Path runOf(Path runDir, Long seed, Consumer<String> log) {
    if (!Files.isDirectory(runDir)) throw new UserException("--run " + runDir + ": no such folder");
    List<Path> seeds;
    try (Stream<Path> s = Files.list(runDir)) {
      seeds = s.filter(p -> p.getFileName().toString().matches("seed-\\d+") && Files.isDirectory(p))
          .sorted(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(5))))
          .toList();
    } catch (IOException e) {
      throw new UserException("--run " + runDir + ": cannot list: " + e.getMessage());
    }
    if (seeds.isEmpty() || Files.isRegularFile(runDir.resolve(RunFolder.CONFIG)) && Files.isDirectory(runDir.resolve(RunFolder.MODEL))) {
      if (seed != null) throw new UserException("--seed " + seed + ": " + runDir + " is a single-seed run");
      return runDir;
    }
    List<String> names = seeds.stream().map(p -> p.getFileName().toString()).toList();
    Path chosen = seed == null ? seeds.get(0) : runDir.resolve("seed-" + seed);
    if (!seeds.contains(chosen)) {
      throw new UserException("--seed " + seed + ": " + runDir + " has " + String.join(", ", names));
    }
    log.accept("serving " + chosen.getFileName() + " of the multi-seed run " + runDir + " (seeds: "
        + String.join(", ", names) + (seed == null ? "; choose one with --seed)" : ")"));
    return chosen;
  }

  /** The run's dev behaviors.tsv as its config.yaml names it, or null when it has none there. */
  public Path devBehaviors() {
    JsonNode v = RunFolder.open(runDir).config().at("data.dev");
    if (v == null || !v.isTextual()) return null;
    Path f = Path.of(v.asText()).resolve(MindFolder.BEHAVIORS);
    return Files.isRegularFile(f) ? f : null;
  }

  /** The impressions of a behaviors.tsv over this model's corpus (strict), for the inspection page. */
  public dev.newsrec.core.data.Impressions impressions(Path behaviors, Consumer<String> log) {
    ReadReport report = new ReadReport();
    dev.newsrec.core.data.Impressions imps = MindReader.readBehaviors(behaviors, corpus, ReadOptions.STRICT, report);
    String summary = report.summary(behaviors.toString());
    if (!summary.isEmpty()) log.accept("note: " + summary);
    log.accept("inspection page: " + imps.size() + " impressions of " + behaviors);
    return imps;
  }

  /** The news.tsv of the run's training and dev folders, as its resolved config.yaml names them. */
  static List<Path> configuredNews(RunFolder run) {
    ConfigTree config = run.config();
    List<Path> out = new ArrayList<>();
    for (String key : List.of("train", "dev")) {
      JsonNode v = config.at("data." + key);
      if (v == null || !v.isTextual()) continue; // dev is optional
      Path f = Path.of(v.asText()).resolve(MindFolder.NEWS);
      if (!Files.isRegularFile(f)) {
        throw new UserException(run.file(RunFolder.CONFIG) + ": data." + key + ": " + f
            + " not found (paths are relative to where the run was trained); give the corpus with --news");
      }
      out.add(f);
    }
    if (out.isEmpty()) throw new UserException(run.file(RunFolder.CONFIG) + ": data.train: missing; give --news");
    return out;
  }

  private static void preload(NewsScoring scoring, NewsCorpus corpus, Path file, String checksum,
      Consumer<String> log) {
    Map<String, float[]> read = NewsVectorFile.read(file, checksum);
    int used = 0;
    for (Map.Entry<String, float[]> e : read.entrySet()) {
      int n = corpus.indexOf(e.getKey());
      if (n < 0) continue;
      if (e.getValue().length != scoring.dim()) {
        throw new UserException(file + ": vectors of " + e.getValue().length + " values, the model's are " + scoring.dim());
      }
      scoring.preload(n, e.getValue());
      used++;
    }
    log.accept(String.format("news vectors: %d of %d read from %s (%d not in the corpus)", used, corpus.size(),
        file, read.size() - used));
  }

  /** Encodes every news without a vector yet, in chunks, with a progress line per chunk. */
  private static void encodeMissing(NewsScoring scoring, int size, Consumer<String> log) {
    int[] missing = IntStream.range(0, size).filter(n -> !scoring.isCached(n)).toArray();
    if (missing.length == 0) return;
    long t0 = System.nanoTime();
    int chunk = 2048;
    try (Scorer s = scoring.scorer()) {
      for (int from = 0; from < missing.length; from += chunk) {
        int to = Math.min(missing.length, from + chunk);
        s.newsVectors(java.util.Arrays.copyOfRange(missing, from, to));
        double secs = (System.nanoTime() - t0) / 1e9;
        double rate = to / Math.max(secs, 1e-9);
        log.accept(String.format("news vectors: %d/%d encoded (%.0f news/s, ETA %.0f s)", to, missing.length,
            rate, (missing.length - to) / rate));
      }
    }
  }

  public Path runDir() { return runDir; }

  /** The served seed folder's name of a multi-seed run, or null. */
  public String seed() { return seed; }

  public NeuralRecommender model() { return model; }

  public String type() { return model.type(); }

  public JsonNode manifest() { return manifest; }

  public String checksum() { return checksum; }

  /** The corpus; news added while serving grow it (see {@link #corpusSize()}). */
  public NewsCorpus corpus() { return corpus; }

  /** How many news the files held at start. */
  public int corpusSize() { return corpusSize; }

  public NewsScoring scoring() { return scoring; }

  public List<Path> newsFiles() { return newsFiles; }

  /** Whether the user encoder reads a token document (PUNR) rather than the history's news vectors. */
  public boolean userReadsTokens() { return !model.model().userEncoder().readsNewsVectors(); }
}
