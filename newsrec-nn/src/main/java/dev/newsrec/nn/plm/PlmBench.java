package dev.newsrec.nn.plm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.newsrec.nn.Engines;
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

/**
 * Forward speed of our BERT blocks on the bundled MiniLM against ONNX Runtime in the same process
 * and with the same thread count, plus the model's achieved FLOP/s against one large matmul
 * measured on the same engine. Prints one line per comparison holding "ratio" (higher is better
 * for newsrec).
 */
public final class PlmBench {
  private final int threads;
  private final double minSeconds;

  /**
   * A bench with {@code threads} intra-op threads per engine, measuring each case for at least
   * {@code minSeconds} after warm-up.
   */
  public PlmBench(int threads, double minSeconds) {
    this.threads = threads;
    this.minSeconds = minSeconds;
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
          // the three alternate, so that load from other processes hits all of them alike
          double[] rates = interleaved(new double[] {batch * length, batch * length, 2.0 * n * n * n},
              oursCall, ortCall, matmulCall);
          double ours = rates[0];
          double ort = rates[1];
          double matmul = rates[2];
          String shape = batch + "x" + length;
          out.printf("forward %s tokens/s %.0f vs onnxruntime %.0f: ratio %.2f%n", shape, ours, ort,
              ours / ort);
          double flops = ours * flopsPerToken(config, length);
          out.printf("forward %s GFLOP/s %.1f vs matmul %dx%d GFLOP/s %.1f: ratio %.2f%n",
              shape, flops / 1e9, n, n, matmul / 1e9, flops / matmul);
        }
      }
    } catch (OrtException e) {
      throw new IllegalStateException("onnxruntime failed: " + e.getMessage(), e);
    }
  }

  /** Matmul FLOPs per token of a BERT forward at sequence length {@code length}. */
  static double flopsPerToken(BertConfig c, int length) {
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
   * rounds (one call of each per round, after one warm-up call each).
   */
  private double[] interleaved(double[] units, Runnable... bodies) {
    for (Runnable b : bodies) {
      b.run();
    }
    List<List<Double>> rates = new ArrayList<>();
    for (int i = 0; i < bodies.length; i++) {
      rates.add(new ArrayList<>());
    }
    long start = System.nanoTime();
    while (rates.get(0).size() < 3 || System.nanoTime() - start < minSeconds * 1e9) {
      for (int i = 0; i < bodies.length; i++) {
        long t0 = System.nanoTime();
        bodies[i].run();
        rates.get(i).add(units[i] / ((System.nanoTime() - t0) / 1e9));
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
