package dev.newsrec.spark;

import dev.newsrec.core.UserException;
import dev.newsrec.core.io.AtomicFiles;
import dev.newsrec.core.metrics.Prediction;
import dev.newsrec.core.metrics.PredictionWriter;
import dev.newsrec.core.mind.MindFolder;
import dev.newsrec.core.mind.ReadOptions;
import dev.newsrec.core.run.RunFolder;
import dev.newsrec.nn.ModelManifest;
import dev.newsrec.nn.infer.NewsVectorFile;
import dev.newsrec.nn.infer.Scorer;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * {@code newsrec spark score}: a split scored by a trained neural run on Spark. The news are read
 * and broadcast (their lines; each executor builds the corpus and loads the model once); news
 * vectors are computed once per news in a distributed pass over the news, collected and broadcast;
 * user vectors are computed per impression partition and candidates scored by dot product, all
 * through the request-level {@link Scorer} that {@code predict} and the server use. The driver
 * writes prediction.txt and prediction.zip in input order, and the news vectors in the format of
 * {@code predict --vectors}.
 */
public final class SparkScore {
  /** File names in the output folder. */
  public static final String PREDICTION = "prediction.txt";
  public static final String PREDICTION_ZIP = "prediction.zip";
  public static final String VECTORS = "news-vectors.bin";
  /** Scores closer than this may rank in either order (batching changes the last float bits). */
  public static final double NEAR_TIE = 1e-5;
  /** Users per forward pass in an impression partition. */
  static final int USER_BATCH = 256;

  private SparkScore() {}

  /**
   * What a scoring job did.
   *
   * @param nearTies candidate pairs, adjacent in score order, whose scores differ by less than
   *     {@link #NEAR_TIE}: where ranks may differ from {@code newsrec predict}'s
   * @param nearTieImpressions impressions with at least one such pair
   * @param encoded news encoded (all news of the split, or those the impressions name)
   */
  public record Result(long impressions, long candidates, int news, int encoded, long nearTies,
      long nearTieImpressions, double readSeconds, double newsSeconds, double scoreSeconds,
      double totalSeconds) {}

  /** Options: lenient reading, whether to write the news vectors (else only needed news are encoded), a cap. */
  public record Options(boolean lenient, boolean vectors, long maxImpressions) {
    public static final Options DEFAULT = new Options(false, true, 0);
  }

  /** One scored impression: its line, id, and candidate ranks. */
  record Ranked(long line, String id, int[] ranks, int nearTies) implements Serializable {}

  /**
   * Scores data's behaviors.tsv with the run and writes out/prediction.txt, out/prediction.zip
   * and (with options.vectors) out/news-vectors.bin. Nothing is written when reading or scoring fails.
   */
  public static Result score(JavaSparkContext sc, Path runDir, Path data, Path out, Options options,
      Consumer<String> log) {
    long t0 = System.nanoTime();
    if (Files.exists(out) && !Files.isDirectory(out)) throw new UserException("--out " + out + " is a file, not a folder");
    AtomicFiles.checkCanCreate(out);
    RunFolder run = RunFolder.open(runDir);
    Path modelDir = run.file(RunFolder.MODEL);
    String checksum = ModelManifest.checksum(modelDir);
    // the model type (and that it has vectors) from its folder, before any job starts
    String type = ModelManifest.read(modelDir).path("type").asText();
    MindFolder folder = MindFolder.of(data);
    ReadOptions read = options.lenient() ? ReadOptions.LENIENT : ReadOptions.STRICT;

    SparkMind.NewsRead news = SparkMind.news(sc, folder.news(), read);
    String newsSummary = news.report().summary(folder.news().toString());
    if (!newsSummary.isEmpty()) log.accept("note: " + newsSummary);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < news.size(); i++) index.put(news.ids().get(i), i);
    Broadcast<Map<String, Integer>> newsIndex = sc.broadcast(index);
    Broadcast<List<String>> newsLines = sc.broadcast(news.lines());

    SparkMind.BehaviorsRead behaviors = SparkMind.behaviors(sc, folder.behaviors(), newsIndex, read);
    String summary = behaviors.report().summary(folder.behaviors().toString());
    if (!summary.isEmpty()) log.accept("note: " + summary);
    JavaRDD<SparkMind.Impression> imps = behaviors.impressions();
    long count = behaviors.count();
    if (options.maxImpressions() > 0 && options.maxImpressions() < count) {
      // the first N impressions in file order (a sized run of a big split)
      long cap = options.maxImpressions();
      imps = imps.zipWithIndex().filter(t -> t._2() < cap).map(Tuple2::_1);
      count = cap;
    }
    double readSeconds = (System.nanoTime() - t0) / 1e9;
    log.accept(String.format("read %d news and %d impressions in %.1f s", news.size(), count, readSeconds));

    String runPath = run.dir().toAbsolutePath().toString();
    int threads = Math.max(1, sc.getConf().getInt("spark.task.cpus", 1));
    try {
      // 1. news vectors: each news once, in a distributed pass over the news
      long t1 = System.nanoTime();
      int[] needed = options.vectors() ? IntStream.range(0, news.size()).toArray()
          : imps.mapPartitions(it -> newsOf(ExecutorModels.get(runPath, newsLines, threads), it)).distinct().collect()
              .stream().mapToInt(Integer::intValue).sorted().toArray();
      int partitions = Math.max(1, Math.min(needed.length / 64 + 1, 4 * sc.defaultParallelism()));
      List<Integer> ids = Arrays.stream(needed).boxed().toList();
      List<Tuple2<Integer, float[]>> encoded = sc.parallelize(ids, partitions).mapPartitions(it -> {
        ExecutorModels.Loaded m = ExecutorModels.get(runPath, newsLines, threads);
        int[] chunk = toArray(it);
        List<Tuple2<Integer, float[]>> v = new ArrayList<>(chunk.length);
        try (Scorer s = m.scoring.scorer()) {
          s.newsVectors(chunk);
          for (int n : chunk) v.add(new Tuple2<>(n, s.newsVector(n)));
        }
        return v.iterator();
      }).collect();
      float[][] vectors = new float[news.size()][];
      for (Tuple2<Integer, float[]> e : encoded) vectors[e._1()] = e._2();
      Broadcast<float[][]> newsVectors = sc.broadcast(vectors);
      double newsSeconds = (System.nanoTime() - t1) / 1e9;
      log.accept(String.format("news vectors: %d encoded in %.1f s (%.0f news/s)", needed.length, newsSeconds,
          needed.length / Math.max(newsSeconds, 1e-9)));

      // 2. users per impression partition, candidates by dot product
      long t2 = System.nanoTime();
      List<Ranked> ranked = imps.mapPartitions(it -> {
        ExecutorModels.Loaded m = ExecutorModels.get(runPath, newsLines, threads);
        m.preload(newsVectors);
        return rank(m, it);
      }).collect();
      double scoreSeconds = (System.nanoTime() - t2) / 1e9;
      long candidates = 0;
      long nearTies = 0;
      long nearTieImpressions = 0;
      for (Ranked r : ranked) {
        candidates += r.ranks().length;
        nearTies += r.nearTies();
        if (r.nearTies() > 0) nearTieImpressions++;
      }
      log.accept(String.format("scored %d impressions (%d candidates) in %.1f s (%.0f impressions/s)",
          ranked.size(), candidates, scoreSeconds, ranked.size() / Math.max(scoreSeconds, 1e-9)));

      // 3. the driver writes the files, each atomically
      writePredictions(out, ranked);
      if (options.vectors()) {
        List<String> vectorIds = news.ids();
        NewsVectorFile.write(out.resolve(VECTORS), checksum, type, vectorIds, Arrays.asList(vectors));
      }
      newsVectors.unpersist(true); // blocking: a context stopped next must not find removals pending
      double total = (System.nanoTime() - t0) / 1e9;
      return new Result(ranked.size(), candidates, news.size(), needed.length, nearTies, nearTieImpressions,
          readSeconds, newsSeconds, scoreSeconds, total);
    } finally {
      behaviors.release();
      ExecutorModels.release(runPath);
    }
  }

  /**
   * The news a partition's impressions need, as {@code NewsScoring.score} counts them: candidates,
   * and the history as the model cuts it when its user encoder reads news vectors.
   */
  private static Iterator<Integer> newsOf(ExecutorModels.Loaded m, Iterator<SparkMind.Impression> it) {
    boolean history = m.model.model().userEncoder().readsNewsVectors();
    java.util.Set<Integer> out = new java.util.HashSet<>();
    while (it.hasNext()) {
      SparkMind.Impression imp = it.next();
      for (int c : imp.candidates) out.add(c);
      if (history) for (int h : m.scoring.policy().truncate(imp.history, m.scoring.maxHistory())) out.add(h);
    }
    return out.iterator();
  }

  private static int[] toArray(Iterator<Integer> it) {
    List<Integer> l = new ArrayList<>();
    it.forEachRemaining(l::add);
    return l.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Ranks a partition's impressions, USER_BATCH users per forward pass. */
  private static Iterator<Ranked> rank(ExecutorModels.Loaded m, Iterator<SparkMind.Impression> it) {
    List<Ranked> out = new ArrayList<>();
    Prediction.Ranker ranker = new Prediction.Ranker();
    int dim = m.scoring.dim();
    try (Scorer s = m.scoring.scorer()) {
      List<SparkMind.Impression> batch = new ArrayList<>(USER_BATCH);
      while (it.hasNext() || !batch.isEmpty()) {
        if (it.hasNext()) batch.add(it.next());
        if (batch.size() < USER_BATCH && it.hasNext()) continue;
        int[][] histories = new int[batch.size()][];
        for (int u = 0; u < histories.length; u++) histories[u] = batch.get(u).history;
        float[] users = s.users(histories);
        for (int u = 0; u < histories.length; u++) {
          SparkMind.Impression imp = batch.get(u);
          float[] scores = s.score(Arrays.copyOfRange(users, u * dim, (u + 1) * dim), imp.candidates);
          int[] ranks = new int[scores.length];
          ranker.ranks(scores, 0, scores.length, ranks);
          out.add(new Ranked(imp.line, imp.id, ranks, nearTies(scores)));
        }
        batch.clear();
      }
    }
    return out.iterator();
  }

  /** Pairs of scores, adjacent in sorted order, closer than {@link #NEAR_TIE}. */
  static int nearTies(float[] scores) {
    float[] sorted = scores.clone();
    Arrays.sort(sorted);
    int k = 0;
    for (int i = 1; i < sorted.length; i++) if (sorted[i] - sorted[i - 1] < NEAR_TIE) k++;
    return k;
  }

  private static void writePredictions(Path out, List<Ranked> ranked) {
    try {
      Files.createDirectories(out);
    } catch (java.io.IOException e) {
      throw AtomicFiles.cannotWrite(out, e);
    }
    for (String name : List.of(PREDICTION, PREDICTION_ZIP)) {
      try (PredictionWriter w = PredictionWriter.open(out.resolve(name))) {
        for (Ranked r : ranked) w.addRanks(r.id(), r.ranks(), 0, r.ranks().length);
        w.commit();
      }
    }
  }
}
