package dev.newsrec.nn.plm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.newsrec.nn.Engines;

/** Shared helpers for the plm tests (blocks, weights, tokenizer). */
public final class PlmTesting {
  private PlmTesting() {}

  /**
   * A fresh manager, with PyTorch on one intra-op thread: on a shared 2-core machine, OpenMP
   * barriers made tiny-model steps 20-30x slower with 2 threads (measured: 8 vs 160-270 ms).
   */
  public static NDManager manager() {
    Engines.prepare();
    Engines.setThreads(1);
    return NDManager.newBaseManager();
  }

  public static BertModel tinyModel(NDManager manager) {
    return tinyModel(manager, BertModel.builder().setConfig(BertConfig.tiny()));
  }

  public static BertModel tinyModel(NDManager manager, BertModel.Builder builder) {
    BertModel model = builder.build();
    model.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
    return model;
  }

  public static ParameterStore store(NDManager manager) {
    return new ParameterStore(manager, false);
  }

  /** Max absolute difference of two arrays of the same shape. */
  public static float maxAbsDiff(NDArray a, NDArray b) {
    return a.sub(b).abs().max().getFloat();
  }

  /** A [2,6] batch of tiny-vocabulary ids; row 1 has 2 padding positions. */
  public static long[][] tinyIds() {
    return new long[][] {{2, 17, 33, 45, 9, 3}, {2, 71, 5, 3, 0, 0}};
  }

  public static long[][] tinyMask() {
    return new long[][] {{1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 0, 0}};
  }
}
