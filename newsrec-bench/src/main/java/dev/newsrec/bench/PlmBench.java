package dev.newsrec.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.newsrec.nn.Engines;
import dev.newsrec.nn.plm.BertConfig;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.MlmHead;
import dev.newsrec.nn.plm.PlmBlock;
import dev.newsrec.nn.plm.weights.MiniLm;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import dev.newsrec.nn.train.AdamW;
import dev.newsrec.nn.train.BatchSource;
import dev.newsrec.nn.train.StepContext;
import dev.newsrec.nn.train.Trainer;

/**
 * Forward speed of our BERT blocks on the bundled MiniLM against ONNX Runtime in the same process
 * and with the same thread count, plus the model's achieved FLOP/s against one large matmul
 * measured on the same engine. Prints one line per comparison holding "ratio" (higher is better
 * for newsrec).
 */
public final class PlmBench {
  private final int threads;
  private final double minSeconds;
  private boolean training = true;
  private java.util.concurrent.ExecutorService worker;

  /**
   * A bench with {@code threads} intra-op threads per engine, measuring each case for at least
   * {@code minSeconds} after warm-up.
   */
  public PlmBench(int threads, double minSeconds) {
    this.threads = threads;
    this.minSeconds = minSeconds;
  }

  /** Whether to measure the training step (forward + MLM loss + backward + AdamW); default yes. */
  public PlmBench training(boolean training) {
    this.training = training;
    return this;
  }

  /** Arguments: [threads (default 2)] [seconds per case (default 5)]. */
  public static void main(String[] args) {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5.0;
    new PlmBench(threads, seconds).run(System.out);
  }

  /** Runs the cases (64x32 and 8x512) and prints the figures. */
  public void run(PrintStream out) {
    Engines.prepare();
    Engines.setThreads(threads);
    BertConfig config = MiniLm.config();
    byte[] onnx;
    try (InputStream in = MiniLm.openOnnx()) {
      onnx = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.printf("engine threads %d, onnxruntime intra-op threads %d%n", Engines.threads(), threads);
    out.printf("load average (1 min) at start %s%n", loadAverage());
    try {
      measure(out, config, onnx);
    } finally {
      if (worker != null) {
        worker.shutdownNow();
        worker = null;
      }
      out.printf("load average (1 min) at end %s%n", loadAverage());
    }
  }

  /** Runs {@code body} on the bench's worker thread (engine threads set there as well). */
  private void onWorker(Runnable body) {
    if (worker == null) {
      worker = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(() -> {
          Engines.setThreads(threads);
          r.run();
        }, "plm-bench-worker");
        t.setDaemon(true);
        return t;
      });
    }
    try {
      worker.submit(body).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** The 1-minute load average from /proc/loadavg, or "?" where there is none. */
  static String loadAverage() {
    try {
      String s = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
      return s.split("\\s+")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private void measure(PrintStream out, BertConfig config, byte[] onnx) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (NDManager manager = NDManager.newBaseManager();
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      int n = 2048;
      NDArray a = manager.randomNormal(new Shape(n, n));
      NDArray b = manager.randomNormal(new Shape(n, n));
      Runnable matmulCall = () -> {
        try (NDArray c = a.matMul(b)) {
          c.getFloat(0, 0);
        }
      };
      opts.setIntraOpNumThreads(threads);
      opts.setInterOpNumThreads(1);
      BertModel model = MiniLm.load(manager);
      ParameterStore ps = new ParameterStore(manager, false);
      try (OrtSession session = env.createSession(onnx, opts)) {
        for (int[] c : new int[][] {{64, 32}, {8, 512}}) {
          int batch = c[0];
          int length = c[1];
          long[][] ids = randomIds(batch, length, config.vocabSize());
          long[][] mask = ones(batch, length);
          Runnable oursCall = () -> {
            try (NDManager step = manager.newSubManager()) {
              NDArray h = model.encode(ps, step.create(ids), step.create(mask), null, null, false);
              h.toFloatArray();
            }
          };
          Runnable ortCall = () -> ortForward(env, session, ids, mask);
          // Title batches are also encoded on threads other than the one that loaded the engine
          // (scorers, Spark tasks), where PyTorch's grad mode starts on: measured there too.
          boolean titles = length <= 64;
          DoubleSupplier workerCall = titles ? timed(() -> onWorker(oursCall)) : () -> 1.0;
          // they alternate, so that load from other processes hits all of them alike
          double[] rates = interleaved(minSeconds,
              new double[] {batch * length, batch * length, 2.0 * n * n * n, batch * length},
              timed(oursCall), timed(ortCall), timed(matmulCall), workerCall);
          double ours = rates[0];
          double ort = rates[1];
          double matmul = rates[2];
          String shape = batch + "x" + length;
          out.printf("forward %s tokens/s %.0f vs onnxruntime %.0f: ratio %.2f%n", shape, ours, ort,
              ours / ort);
          if (titles) {
            out.printf("forward %s on a worker thread tokens/s %.0f vs onnxruntime %.0f: ratio %.2f%n",
                shape, rates[3], ort, rates[3] / ort);
          }
          double flops = ours * flopsPerToken(config, length);
          out.printf("forward %s GFLOP/s %.1f vs matmul %dx%d GFLOP/s %.1f: ratio %.2f%n",
              shape, flops / 1e9, n, n, matmul / 1e9, flops / matmul);
        }
      }
      if (training) {
        trainingCases(out, manager, matmulCall, n);
      }
    } catch (OrtException e) {
      throw new IllegalStateException("onnxruntime failed: " + e.getMessage(), e);
    }
  }

  /**
   * Forward + MLM loss (15% of the positions, the head only on those) + backward + AdamW step,
   * through {@link Trainer}, against the same step in the PyTorch reference.
   */
  private void trainingCases(PrintStream out, NDManager manager, Runnable matmulCall, int n) {
    Optional<String> missing = TorchReference.unavailable();
    if (missing.isPresent()) {
      out.println("train: no PyTorch reference (" + missing.get() + "); ratios skipped");
    }
    BertConfig config = MiniLm.config();
    for (int[] c : new int[][] {{64, 32}, {8, 512}}) {
      int batch = c[0];
      int length = c[1];
      try (NDManager weights = manager.newSubManager()) {
        BertModel bert = MiniLm.load(weights);
        MlmModel model = new MlmModel(bert);
        AdamW optimizer = AdamW.builder().learningRate(1e-4).weightDecay(0.01).build(model.parameters());
        MlmBatch data = MlmBatch.random(batch, length, config.vocabSize(), 42);
        BatchSource<MlmBatch> source = new BatchSource<>() {
          @Override public MlmBatch next() { return data; }
          @Override public byte[] saveState() { return new byte[0]; }
          @Override public void restoreState(byte[] state) {}
        };
        try (Trainer<MlmBatch> trainer = Trainer.builder(model, model::loss, source)
            .optimizer(optimizer).totalSteps(Long.MAX_VALUE).build()) {
          DoubleSupplier ours = timed(() -> trainer.trainSteps(1));
          DoubleSupplier matmul = timed(matmulCall);
          String shape = batch + "x" + length;
          double tokens = batch * length;
          double flops = 3 * flopsPerToken(config, length) * tokens
              + 3 * 2.0 * data.picked.length * config.hiddenSize()
                  * (config.hiddenSize() + config.vocabSize());
          double[] rates;
          if (missing.isEmpty()) {
            try (TorchReference ref = TorchReference.start(List.of("train-mlm",
                Integer.toString(batch), Integer.toString(length), "--threads",
                Integer.toString(threads)))) {
              rates = interleaved(minSeconds, new double[] {tokens, tokens, 2.0 * n * n * n},
                  ours, ref::runOnce, matmul);
            }
            out.printf("train-mlm %s tokens/s %.0f vs pytorch %.0f: ratio %.2f%n", shape, rates[0],
                rates[1], rates[0] / rates[1]);
          } else {
            rates = interleaved(minSeconds, new double[] {tokens, 0, 2.0 * n * n * n}, ours,
                () -> 1.0, matmul);
            out.printf("train-mlm %s tokens/s %.0f%n", shape, rates[0]);
          }
          double achieved = rates[0] / tokens * flops;
          out.printf("train-mlm %s GFLOP/s %.1f vs matmul %dx%d GFLOP/s %.1f: ratio %.2f%n", shape,
              achieved / 1e9, n, n, rates[2] / 1e9, achieved / rates[2]);
        }
      }
    }
  }

  /** A fixed MLM batch: 15% of the positions replaced by [MASK], their original ids the labels. */
  private record MlmBatch(long[][] inputs, long[] picked, long[] labels) {
    static MlmBatch random(int batch, int length, int vocab, long seed) {
      long[][] ids = randomIds(batch, length, vocab);
      int n = batch * length;
      List<Integer> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        all.add(i);
      }
      Collections.shuffle(all, new Random(seed));
      int p = Math.max(1, Math.round(0.15f * n));
      long[] picked = all.subList(0, p).stream().sorted().mapToLong(Integer::longValue).toArray();
      long[] labels = new long[p];
      long[][] inputs = new long[batch][];
      for (int b = 0; b < batch; b++) {
        inputs[b] = ids[b].clone();
      }
      for (int i = 0; i < p; i++) {
        int at = (int) picked[i];
        labels[i] = ids[at / length][at % length];
        inputs[at / length][at % length] = 103; // [MASK]
      }
      return new MlmBatch(inputs, picked, labels);
    }
  }

  /** BERT + tied MLM head, as one block for the trainer. */
  private static final class MlmModel extends PlmBlock {
    private final BertModel bert;
    private final MlmHead head;

    MlmModel(BertModel bert) {
      this.bert = child("bert", bert);
      this.head = child(MlmHead.HF_PREFIX.substring(0, MlmHead.HF_PREFIX.length() - 1),
          MlmHead.builder().setConfig(bert.config())
              .setWordEmbedding(bert.embeddings().wordEmbedding()).build());
      NDManager m = bert.embeddings().wordEmbedding().getArray().getManager();
      head.initialize(m, DataType.FLOAT32, new Shape(1, bert.config().hiddenSize()));
    }

    List<Pair<String, Parameter>> parameters() {
      List<Pair<String, Parameter>> list = new ArrayList<>();
      namedParameters().forEach((k, v) -> list.add(new Pair<>(k, v)));
      return list;
    }

    NDArray loss(StepContext ctx, MlmBatch batch) {
      NDManager m = ctx.manager();
      ParameterStore ps = ctx.parameterStore();
      NDArray ids = m.create(batch.inputs());
      NDArray h = bert.encode(ps, ids, m.ones(ids.getShape(), DataType.INT64), null, null,
          ctx.training());
      long hidden = h.getShape().get(2);
      NDArray rows = Embedding.embedding(m.create(batch.picked()), h.reshape(-1, hidden),
          SparseFormat.DENSE).singletonOrThrow();
      NDArray logp = head.logits(ps, rows, ctx.training()).logSoftmax(-1);
      NDArray labels = m.create(batch.labels()).reshape(-1, 1);
      return logp.gather(labels, 1).mean().neg();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
        PairList<String, Object> params) {
      throw new UnsupportedOperationException("use loss");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
      return new Shape[] {new Shape()};
    }
  }

  /** Matmul FLOPs per token of a BERT forward at sequence length {@code length}. */
  public static double flopsPerToken(BertConfig c, int length) {
    double h = c.hiddenSize();
    double perLayer = 8 * h * h + 4 * h * c.intermediateSize() + 4.0 * length * h;
    return c.numHiddenLayers() * perLayer;
  }

  private static void ortForward(OrtEnvironment env, OrtSession session, long[][] ids,
      long[][] mask) {
    try (OnnxTensor i = OnnxTensor.createTensor(env, ids);
        OnnxTensor m = OnnxTensor.createTensor(env, mask);
        OnnxTensor t = OnnxTensor.createTensor(env, new long[ids.length][ids[0].length]);
        OrtSession.Result r = session.run(Map.of("input_ids", i, "attention_mask", m,
            "token_type_ids", t), Set.of("output_0"))) {
      r.get(0).getValue();
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Median units per second of each body ({@code units[i]} per call), measured in alternating
   * rounds (one call of each per round, after one warm-up call each) for at least {@code
   * minSeconds} and 3 rounds. Each body returns its own duration in seconds.
   */
  public static double[] interleaved(double minSeconds, double[] units, DoubleSupplier... bodies) {
    return interleaved(minSeconds, 3, units, bodies);
  }

  /** As above, with at least {@code minRounds} rounds. */
  public static double[] interleaved(double minSeconds, int minRounds, double[] units,
      DoubleSupplier... bodies) {
    for (DoubleSupplier b : bodies) {
      b.getAsDouble();
    }
    List<List<Double>> rates = new ArrayList<>();
    for (int i = 0; i < bodies.length; i++) {
      rates.add(new ArrayList<>());
    }
    long start = System.nanoTime();
    while (rates.get(0).size() < minRounds || System.nanoTime() - start < minSeconds * 1e9) {
      for (int i = 0; i < bodies.length; i++) {
        rates.get(i).add(units[i] / bodies[i].getAsDouble());
      }
    }
    double[] medians = new double[bodies.length];
    for (int i = 0; i < bodies.length; i++) {
      List<Double> r = rates.get(i);
      Collections.sort(r);
      medians[i] = r.get(r.size() / 2);
    }
    return medians;
  }

  /** A body timed by the wall clock around it. */
  public static DoubleSupplier timed(Runnable body) {
    return () -> {
      long t0 = System.nanoTime();
      body.run();
      return (System.nanoTime() - t0) / 1e9;
    };
  }

  private static long[][] randomIds(int batch, int length, int vocab) {
    Random r = new Random(42);
    long[][] ids = new long[batch][length];
    for (long[] row : ids) {
      for (int t = 0; t < length; t++) {
        row[t] = 1000 + r.nextInt(vocab - 1000);
      }
      row[0] = 101;
      row[length - 1] = 102;
    }
    return ids;
  }

  private static long[][] ones(int batch, int length) {
    long[][] m = new long[batch][length];
    for (long[] row : m) {
      java.util.Arrays.fill(row, 1);
    }
    return m;
  }
}
