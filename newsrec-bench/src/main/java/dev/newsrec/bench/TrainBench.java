package dev.newsrec.bench;

import ai.djl.ndarray.NDManager;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.core.mind.MindFolder;
import dev.newsrec.core.mind.MindReader;
import dev.newsrec.core.mind.ReadOptions;
import dev.newsrec.core.mind.ReadReport;
import dev.newsrec.core.sample.HistoryPolicy;
import dev.newsrec.core.sample.NceSampler;
import dev.newsrec.nn.Engines;
import dev.newsrec.nn.infer.NewsScoring;
import dev.newsrec.nn.model.NewsInputs;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.model.NewsTokens;
import dev.newsrec.nn.plm.tokenizer.PlmTokenizer;
import dev.newsrec.nn.plm.weights.PretrainedPlm;
import dev.newsrec.nn.rec.NceBatch;
import dev.newsrec.nn.rec.NceBatches;
import dev.newsrec.nn.rec.NceStep;
import dev.newsrec.nn.rec.NceTrainingOptions;
import dev.newsrec.nn.rec.HistoryOptions;
import dev.newsrec.nn.rec.NewsVectors;
import dev.newsrec.nn.plmnr.PlmNr;
import dev.newsrec.nn.plmnr.PlmNrOptions;
import dev.newsrec.nn.train.AdamW;
import dev.newsrec.nn.train.BatchSource;
import dev.newsrec.nn.train.ParamGroup;
import dev.newsrec.nn.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * {@code newsrec bench train --model plmnr}: PLM-NR's NCE training step and its evaluation on the
 * synthetic world against the same step in the PyTorch reference, interleaved; plus the step's
 * share of the large-matmul FLOP/s and the peak resident memory. Each setting runs in a child JVM,
 * so its peak RSS is its own.
 */
public final class TrainBench {
  private TrainBench() {}

  /**
   * What to run: intra-op threads, NCE samples per step, samples per forward/backward with all
   * layers trainable (microAll) and with the top layer on cached inputs (microTop), timed rounds
   * per case, dev impressions per evaluation round, the settings ({@code all}, {@code top1}) and
   * the child JVMs' -Xmx.
   */
  public record Options(int threads, int batch, int microAll, int microTop, int rounds,
      int evalImpressions, List<String> settings, String heap) {}

  /** The small synthetic world (seed 42) this bench trains on, under the work folder. */
  public static Path world(Path work) {
    return work.resolve("synth-small-seed42");
  }

  /** Runs each setting in its own child JVM on the generated world; returns the exit code. */
  public static int run(Path world, Options o) throws IOException, InterruptedException {
    BenchEnvironment.print(System.out);
    Optional<String> missing = TorchReference.unavailable();
    if (missing.isPresent()) {
      System.out.println("no PyTorch reference (" + missing.get() + "); ratios skipped");
    }
    return BenchEnvironment.runChildren(o.heap(), TrainBench.class, o.settings(), s -> List.of(
        world.toString(), s, Integer.toString(o.threads()), Integer.toString(o.batch()),
        Integer.toString(s.equals("all") ? o.microAll() : o.microTop()), Integer.toString(o.rounds()),
        Integer.toString(o.evalImpressions()), Boolean.toString(missing.isEmpty())));
  }

  /** Child: WORLD SETTING THREADS BATCH MICRO ROUNDS EVAL_IMPRESSIONS WITH_REFERENCE. */
  public static void main(String[] args) throws IOException {
    Path world = Path.of(args[0]);
    String setting = args[1];
    int threads = Integer.parseInt(args[2]);
    int batch = Integer.parseInt(args[3]);
    int micro = Integer.parseInt(args[4]);
    int rounds = Integer.parseInt(args[5]);
    int evalImpressions = Integer.parseInt(args[6]);
    boolean withReference = Boolean.parseBoolean(args[7]);
    boolean all = setting.equals("all");
    Engines.prepare();
    Engines.setThreads(threads);
    MindFolder train = MindFolder.of(world.resolve("train"));
    NewsCorpus corpus = MindReader.readNews(train.news(), ReadOptions.STRICT, new ReadReport());
    Impressions imps = MindReader.readBehaviors(train.behaviors(), corpus, ReadOptions.STRICT,
        new ReadReport());
    PlmTokenizer tokenizer = PretrainedPlm.tokenizer("minilm");
    int titleTokens = 30;
    NewsTokens tokens = NewsTokens.of(corpus, tokenizer, titleTokens);
    NceTrainingOptions t = new NceTrainingOptions(4, batch, micro, 1, 1e-4, 1e-5, 0.0, 0.01, 1.0,
        128, false, 1000);
    HistoryOptions history = new HistoryOptions(50, "recent");
    PlmNrOptions o = new PlmNrOptions("minilm", 0, all ? -1 : 1, !all, titleTokens, 12, 200, 0.2,
        "cpu", history, t);
    String name = all ? "all layers trainable" : "top-1 trainable, frozen cached";
    long rssStart = rss("VmRSS");
    try (NDManager manager = NDManager.newBaseManager()) {
      NewsRecModel m = PlmNr.MODEL.build(o, dev.newsrec.nn.rec.BuildContext.of(manager));
      // all: the whole encoder per step; else the top layer over the cached outputs of the lower five
      NewsInputs inputs = NewsInputs.of(corpus, tokens);
      NewsVectors news = PlmNr.MODEL.trainingNews(o, m, inputs, manager, s -> System.out.println("  " + s));
      long rssModel = rss("VmRSS");
      NceBatches batches = new NceBatches(imps, new NceSampler(imps, 4, 42), micro, history.max(),
          history.historyPolicy());
      // one fixed step's worth of micro-batches, replayed: the same work every round
      List<NceBatch> step = new ArrayList<>();
      for (int i = 0; i < batch / micro; i++) step.add(batches.next());
      BatchSource<NceBatch> source = new BatchSource<>() {
        int next;
        @Override public NceBatch next() { return step.get(next++ % step.size()); }
        @Override public byte[] saveState() { return new byte[0]; }
        @Override public void restoreState(byte[] state) {}
      };
      int accumulation = batch / micro;
      AdamW optimizer = AdamW.builder().learningRate(1e-4).weightDecay(0.01)
          .group(ParamGroup.matching("plm", "plm", 1e-5, 0.01)).build(m);
      int unique = 0;
      int length = 0;
      int historyLength = 0;
      double tokensPerStep = 0;
      for (NceBatch b : step) {
        NewsTokens.Padded p = tokens.pad(b.news());
        unique += b.news().length;
        length = Math.max(length, p.length());
        historyLength = Math.max(historyLength, b.history()[0].length);
        tokensPerStep += (double) p.rows() * p.length();
      }
      double meanUnique = (double) unique / step.size();
      int n = 2048;
      NDManager mm = manager.newSubManager();
      var a = mm.randomNormal(new ai.djl.ndarray.types.Shape(n, n));
      var bb = mm.randomNormal(new ai.djl.ndarray.types.Shape(n, n));
      DoubleSupplier matmul = PlmBench.timed(() -> {
        try (var c = a.matMul(bb)) {
          c.getFloat(0, 0);
        }
      });
      System.out.printf(Locale.ROOT, "plmnr [%s]: batch %d = %d micro-batches of %d, %.0f distinct titles"
          + " per micro-batch (of %d), titles padded to <= %d tokens, history %d%n", name, batch,
          accumulation, micro, meanUnique, micro * (5 + historyLength), length, historyLength);
      try (Trainer<NceBatch> trainer = Trainer.builder(m, new NceStep(m, news, inputs), source)
          .optimizer(optimizer).accumulation(accumulation).maxGradNorm(1.0)
          .totalSteps(Long.MAX_VALUE).build()) {
        DoubleSupplier ours = PlmBench.timed(() -> trainer.trainSteps(1));
        double[] rates;
        double perMicro = batch;
        if (withReference) {
          List<String> refArgs = new ArrayList<>(List.of("train-plmnr", Integer.toString(micro),
              Integer.toString(length), "--unique", Long.toString(Math.round(meanUnique)),
              "--history", Integer.toString(historyLength), "--negatives", "4", "--threads",
              Integer.toString(threads), "--warmup", "1"));
          if (!all) {
            refArgs.addAll(List.of("--trainable-layers", "1", "--cached"));
          }
          try (TorchReference ref = TorchReference.start(refArgs)) {
            // the reference runs the step's micro-batches one after the other, as ours does
            DoubleSupplier theirs = () -> {
              double s = 0;
              for (int i = 0; i < accumulation; i++) s += ref.runOnce();
              return s;
            };
            rates = PlmBench.interleaved(0, rounds, new double[] {batch, batch, 2.0 * n * n * n},
                ours, theirs, matmul);
          }
          System.out.printf(Locale.ROOT, "train plmnr [%s] samples/s %.2f vs pytorch %.2f: ratio %.2f%n",
              name, rates[0], rates[1], rates[0] / rates[1]);
        } else {
          rates = PlmBench.interleaved(0, rounds, new double[] {batch, 1, 2.0 * n * n * n}, ours,
              () -> 1.0, matmul);
          System.out.printf(Locale.ROOT, "train plmnr [%s] samples/s %.2f%n", name, rates[0]);
        }
        // matmul FLOPs of the PLM part: forward + backward (2x) through the trainable layers,
        // forward only through frozen uncached ones; the pooling and user encoder are small
        double perToken = PlmBench.flopsPerToken(MiniLmShapes.CONFIG, length) / 6;
        double layerFlops = all ? 3 * 6 * perToken : 3 * perToken;
        double stepFlops = tokensPerStep * layerFlops;
        double achieved = stepFlops * rates[0] / batch;
        System.out.printf(Locale.ROOT, "train plmnr [%s] GFLOP/s %.1f vs matmul %dx%d GFLOP/s %.1f: ratio %.2f%n",
            name, achieved / 1e9, n, n, rates[2] / 1e9, achieved / rates[2]);
      }
      long peak = rss("VmHWM");
      System.out.printf(Locale.ROOT, "memory plmnr [%s]: peak RSS %.2f GB (JVM + model %s %.2f GB;"
          + " micro-batch %d, %.0f distinct titles x %d tokens with gradients)%n", name, peak / 1e9,
          all ? "" : "+ frozen cache", rssModel / 1e9, micro, meanUnique, length);
      if (!all) {
        evaluation(world, m, tokenizer, titleTokens, threads, evalImpressions, rounds, withReference,
            manager, name);
      }
    }
  }

  private static void evaluation(Path world, NewsRecModel m, PlmTokenizer tokenizer, int titleTokens,
      int threads, int count, int rounds, boolean withReference, NDManager manager, String name) {
    MindFolder devFolder = MindFolder.of(world.resolve("dev"));
    NewsCorpus corpus = MindReader.readNews(devFolder.news(), ReadOptions.STRICT, new ReadReport());
    Impressions imps = MindReader.readBehaviors(devFolder.behaviors(), corpus, ReadOptions.STRICT,
        new ReadReport()).head(count);
    NewsTokens tokens = NewsTokens.of(corpus, tokenizer, titleTokens);
    NewsScoring scoring = new NewsScoring(m, NewsInputs.of(corpus, tokens),
        t -> NewsTokens.title(t, tokenizer, titleTokens), 50, HistoryPolicy.RECENT, 128, manager);
    // what the scorer encodes: each needed title once, each distinct history once
    boolean[] needed = new boolean[tokens.size()];
    for (int c : imps.flatCandidates()) needed[c] = true;
    java.util.Set<Integer> histories = new java.util.HashSet<>();
    for (int i = 0; i < imps.size(); i++) {
      histories.add(imps.historyIndex(i));
      for (int h : HistoryPolicy.RECENT.truncate(imps.history(i), 50)) needed[h] = true;
    }
    int news = 0;
    long titleTokenSum = 0;
    for (int i = 0; i < needed.length; i++) {
      if (needed[i]) {
        news++;
        titleTokenSum += tokens.ids(i).length;
      }
    }
    int meanLength = (int) Math.round((double) titleTokenSum / news);
    int meanCandidates = (int) Math.round((double) imps.totalCandidates() / imps.size());
    // every round encodes every title again, as one evaluation does
    DoubleSupplier ours = PlmBench.timed(() -> {
      scoring.invalidate();
      scoring.score(imps, s -> { });
    });
    System.out.printf(Locale.ROOT, "eval plmnr: %d impressions, %d titles (mean %d tokens), %d users%n",
        imps.size(), news, meanLength, histories.size());
    if (withReference) {
      try (TorchReference ref = TorchReference.start(List.of("eval-plmnr", "128",
          Integer.toString(meanLength), "--news", Integer.toString(news), "--users",
          Integer.toString(histories.size()), "--impressions", Integer.toString(imps.size()),
          "--candidates", Integer.toString(meanCandidates), "--history", "50", "--threads",
          Integer.toString(threads), "--warmup", "1"))) {
        double[] r = PlmBench.interleaved(0, rounds, new double[] {imps.size(), imps.size()},
            ours, ref::runOnce);
        System.out.printf(Locale.ROOT, "eval plmnr impressions/s %.1f vs pytorch %.1f: ratio %.2f%n",
            r[0], r[1], r[0] / r[1]);
      }
    } else {
      double[] r = PlmBench.interleaved(0, rounds, new double[] {imps.size()}, ours);
      System.out.printf(Locale.ROOT, "eval plmnr impressions/s %.1f%n", r[0]);
    }
  }

  /** A field of /proc/self/status in bytes (VmRSS now, VmHWM peak), or -1 off Linux. */
  static long rss(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return -1;
  }

  /** MiniLM's configuration for FLOP counts. */
  private static final class MiniLmShapes {
    static final dev.newsrec.nn.plm.BertConfig CONFIG = dev.newsrec.nn.plm.weights.MiniLm.config();
  }
}
