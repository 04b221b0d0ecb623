package dev.newsrec.nn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Shared test data: a noisy linear regression task and helpers to read weights. */
final class Fixtures {
  static final int IN = 6;

  private Fixtures() {}

  /**
   * Runs PyTorch with one intra-op thread and returns the previous count. Tiny models gain nothing
   * from more threads, and on a shared 2-core machine OpenMP threads waiting on each other made a
   * 32x6 step 40x slower (73 ms instead of 1.7 ms). Test classes restore the count afterwards.
   */
  static int singleThread() {
    ai.djl.engine.Engine.getInstance(); // loads the native library
    int previous = ai.djl.pytorch.jni.JniUtils.getNumThreads();
    ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
    return previous;
  }

  static void restoreThreads(int count) {
    ai.djl.pytorch.jni.JniUtils.setNumThreads(count);
  }

  /** One example: features and target. */
  record Example(float[] x, float y) {}

  /** y = w.x + 0.5 + noise with fixed w. */
  static List<Example> regression(int n, long seed) {
    Random r = new Random(seed);
    float[] w = {0.8f, -1.2f, 0.5f, 2.0f, -0.3f, 1.0f};
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] x = new float[IN];
      float y = 0.5f;
      for (int j = 0; j < IN; j++) {
        x[j] = (float) r.nextGaussian();
        y += w[j] * x[j];
      }
      out.add(new Example(x, y + 0.05f * (float) r.nextGaussian()));
    }
    return out;
  }

  /** Mean squared error of the model on a batch, arrays on the step's manager. */
  static StepFunction<List<Example>> mse(Block model) {
    return (ctx, batch) -> {
      NDArray[] xy = arrays(ctx.manager(), batch);
      NDArray pred = ctx.forward(model, new NDList(xy[0])).singletonOrThrow().reshape(-1);
      return pred.sub(xy[1]).square().mean();
    };
  }

  static NDArray[] arrays(NDManager manager, List<Example> batch) {
    float[][] x = new float[batch.size()][];
    float[] y = new float[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      x[i] = batch.get(i).x();
      y[i] = batch.get(i).y();
    }
    return new NDArray[] {manager.create(x), manager.create(y)};
  }

  /** Copies of all parameter values by name. */
  static Map<String, float[]> weights(Block block) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : block.getParameters()) out.put(p.getKey(), p.getValue().getArray().toFloatArray());
    return out;
  }

  static double maxAbsDiff(Map<String, float[]> a, Map<String, float[]> b) {
    double max = 0;
    for (var e : a.entrySet()) {
      float[] x = e.getValue();
      float[] y = b.get(e.getKey());
      for (int i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i] - y[i]));
    }
    return max;
  }
}
