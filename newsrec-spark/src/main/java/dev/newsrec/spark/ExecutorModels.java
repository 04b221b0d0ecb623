package dev.newsrec.spark;

import dev.newsrec.core.UserException;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.core.model.Recommender;
import dev.newsrec.core.run.RunFolder;
import dev.newsrec.nn.Engines;
import dev.newsrec.nn.infer.NewsScoring;
import dev.newsrec.nn.rec.NeuralRecommender;
import dev.newsrec.nn.runtime.Experiment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.broadcast.Broadcast;

/**
 * The model of a run on an executor: loaded once per JVM, lazily, from the run's self-describing
 * model folder, when the first task of a job needs it, and shared by the executor's tasks (each
 * scores through its own {@link dev.newsrec.nn.infer.Scorer}). Keyed by the run folder and the
 * broadcast corpus, so a second job over another split loads its own.
 */
final class ExecutorModels {
  private static final Map<String, Loaded> LOADED = new ConcurrentHashMap<>();

  private ExecutorModels() {}

  /** A loaded model, its scoring over the broadcast corpus, and which vector broadcast it holds. */
  static final class Loaded {
    final NeuralRecommender model;
    final NewsCorpus corpus;
    final NewsScoring scoring;
    private long preloaded = -1;

    Loaded(NeuralRecommender model, NewsCorpus corpus) {
      this.model = model;
      this.corpus = corpus;
      this.scoring = model.scoring(corpus);
    }

    /** Puts the broadcast news vectors into the scoring's cache, once per broadcast. */
    synchronized void preload(Broadcast<float[][]> vectors) {
      if (preloaded == vectors.id()) return;
      float[][] v = vectors.value();
      for (int n = 0; n < v.length; n++) if (v[n] != null) scoring.preload(n, v[n]);
      preloaded = vectors.id();
    }
  }

  /**
   * The model of runDir over the broadcast news lines. threadsPerTask: PyTorch threads of one
   * task (Spark gives a task spark.task.cpus cores), set when the model is loaded.
   */
  static Loaded get(String runDir, Broadcast<List<String>> news, int threadsPerTask) {
    return LOADED.computeIfAbsent(runDir + "#" + news.id(), k -> {
      Engines.setThreads(threadsPerTask);
      Recommender model = Experiment.loadModel(RunFolder.open(Path.of(runDir)));
      if (!(model instanceof NeuralRecommender neural)) {
        throw new UserException("run folder " + runDir + ": a " + model.type()
            + " model has no news or user vectors; Spark scores neural models (nrms, plmnr, ...)");
      }
      return new Loaded(neural, SparkMind.corpus(news.value()));
    });
  }

  /** Forgets the models of runDir (the driver calls it when a job ends, in local mode the same JVM). */
  static void release(String runDir) {
    LOADED.keySet().removeIf(k -> k.startsWith(runDir + "#"));
  }
}
