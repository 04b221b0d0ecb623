package dev.newsrec.nn.plm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Base of the blocks in this package: parameters have fixed shapes from the start (so
 * {@code initialize} needs no shape inference) and carry their Hugging Face names, which the weight
 * loaders and the saver use through {@link #namedParameters()}.
 *
 * <p>Memory: parameters live on the manager given to {@code initialize}. A forward pass puts its
 * temporaries on a sub-manager of its first input's manager and closes it; the returned arrays are
 * attached to the first input's manager, so the caller owns them.
 */
public abstract class PlmBlock extends AbstractBlock {
  /** BERT's weight initialisation: normal with standard deviation 0.02. */
  protected static final Initializer BERT_INIT = new NormalInitializer(0.02f);

  /** Additive mask value for positions that must not be attended (finite, to avoid NaN rows). */
  public static final float MASKED = -1e9f;

  private final Map<String, PlmBlock> named = new LinkedHashMap<>();

  protected PlmBlock() {
    super((byte) 1);
  }

  /** Registers a child under its Hugging Face name (dots allowed, e.g. "attention.self.query"). */
  protected final <B extends PlmBlock> B child(String hfName, B block) {
    named.put(hfName, block);
    return addChildBlock(hfName.replace('.', '_'), block);
  }

  /** Registers a parameter of fixed shape under its Hugging Face name. */
  protected final Parameter param(String hfName, Parameter.Type type, Initializer init,
      Shape shape) {
    return addParameter(Parameter.builder().setName(hfName).setType(type).optInitializer(init)
        .optShape(shape).build());
  }

  /** Adds this block's parameters, named as Hugging Face names them, under {@code prefix}. */
  public void collectParameters(String prefix, Map<String, Parameter> out) {
    for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
      out.put(prefix + e.getKey(), e.getValue());
    }
    for (Map.Entry<String, PlmBlock> e : named.entrySet()) {
      e.getValue().collectParameters(prefix + e.getKey() + ".", out);
    }
  }

  /** All parameters by Hugging Face name, in a stable order. */
  public Map<String, Parameter> namedParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    collectParameters("", out);
    return out;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
    for (PlmBlock b : named.values()) {
      b.initialize(manager, dataType, shapes);
    }
  }

  @Override
  protected void prepare(Shape[] inputShapes) {
    // shapes are fixed at construction
  }

  /** Dropout that is the identity outside training or at rate 0. */
  protected static NDArray dropout(NDArray x, float rate, boolean training) {
    if (!training || rate <= 0) {
      return x;
    }
    return Dropout.dropout(x, rate, true).singletonOrThrow();
  }

  /**
   * Runs {@code body} with {@code inputs} temporarily attached to a sub-manager of the first
   * input's manager: every array the body creates is closed on return, except the result, which is
   * attached to the first input's manager (the caller owns it). Inputs go back to their managers.
   */
  protected static NDArray scoped(Supplier<NDArray> body, NDArray... inputs) {
    NDManager parent = inputs[0].getManager();
    try (NDManager scope = parent.newSubManager()) {
      java.util.Set<NDArray> seen = java.util.Collections.newSetFromMap(
          new java.util.IdentityHashMap<>());
      for (NDArray a : inputs) {
        if (a != null && seen.add(a)) {
          a.tempAttach(scope);
        }
      }
      NDArray out = body.get();
      out.attach(parent);
      return out;
    }
  }

  /**
   * As {@link #scoped(Supplier, NDArray...)}, and outside training ({@code training == false}) with
   * autograd off for the body: no graph is recorded and no tensors are kept for a backward pass.
   * DJL turns PyTorch's grad mode off only on the thread that loaded the engine; every other
   * thread (scorers, Spark tasks) starts with it on, and parameters require gradients, so an
   * evaluation forward there recorded a full graph (measured 5-29% slower at 64x32). Calls with
   * {@code training == false} therefore never produce gradients, even inside a GradientCollector.
   */
  protected static NDArray scoped(boolean training, Supplier<NDArray> body, NDArray... inputs) {
    return inference(training, () -> scoped(body, inputs));
  }

  /** Runs {@code body} with autograd off unless {@code training}; restores the grad mode. */
  public static <T> T inference(boolean training, Supplier<T> body) {
    if (training || !ai.djl.pytorch.jni.JniUtils.isGradMode()) {
      return body.get();
    }
    ai.djl.pytorch.jni.JniUtils.setGradMode(false);
    try {
      return body.get();
    } finally {
      ai.djl.pytorch.jni.JniUtils.setGradMode(true);
    }
  }

  /**
   * x * factor, safe under autograd. DJL's {@code NDArray.mul(Number)} wraps the number in a CPU
   * array that shares a direct buffer with its tensor and closes it at once; autograd keeps that
   * tensor for the backward pass, and once the garbage collector frees the buffer the gradient is
   * garbage (often +-1e34: NaN or infinite gradient norms). {@code full} allocates in PyTorch, which
   * keeps the scalar alive for as long as autograd needs it.
   */
  public static NDArray scale(NDArray x, float factor) {
    try (NDArray f = x.getManager().full(new Shape(), factor, x.getDataType())) {
      return x.mul(f);
    }
  }

  /**
   * Copies host values into an existing array (a parameter) in place. {@code NDArray.set(float[])}
   * goes through a deprecated PyTorch guard that prints a 500-character warning on every run; an
   * indexed copy from a temporary array does the same without it.
   */
  public static void assign(NDArray target, float[] values) {
    // An in-place write to a leaf that needs gradients is refused while autograd records.
    boolean gradMode = ai.djl.pytorch.jni.JniUtils.isGradMode();
    if (gradMode) ai.djl.pytorch.jni.JniUtils.setGradMode(false);
    try (NDArray v = target.getManager().create(values, target.getShape())) {
      target.set(new ai.djl.ndarray.index.NDIndex("..."), v.toType(target.getDataType(), false));
    } finally {
      if (gradMode) ai.djl.pytorch.jni.JniUtils.setGradMode(true);
    }
  }

  /** Turns a [B,T] 1/0 attention mask into an additive [B,1,1,T] mask (0 or {@link #MASKED}). */
  public static NDArray paddingMask(NDArray mask) {
    NDArray m = mask.toType(DataType.FLOAT32, false);
    return m.neg().add(1f).mul(MASKED).expandDims(1).expandDims(1);
  }

  /** An additive [1,1,T,T] mask that lets position i attend to positions 0..i only. */
  public static NDArray causalMask(NDManager manager, long length) {
    NDArray idx = manager.arange(length);
    NDArray future = idx.expandDims(0).gt(idx.expandDims(1));
    return future.toType(DataType.FLOAT32, false).mul(MASKED).reshape(1, 1, length, length);
  }
}
