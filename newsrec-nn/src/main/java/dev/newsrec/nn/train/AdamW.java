package dev.newsrec.nn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * AdamW with decoupled weight decay, computed as PyTorch's {@code torch.optim.AdamW} (default,
 * non-amsgrad, non-fused) does for each parameter p with gradient g at its step t:
 *
 * <pre>
 *   p &lt;- p * (1 - lr * wd)
 *   m &lt;- b1 * m + (1 - b1) * g
 *   v &lt;- b2 * v + (1 - b2) * g * g
 *   p &lt;- p - (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 *
 * <p>Each parameter belongs to the first {@link ParamGroup} whose selector accepts its name, or
 * else to the default group (the builder's learning rate and weight decay). Names accepted by the
 * no-decay rule (default: biases and normalisation parameters) get weight decay 0. Frozen
 * parameters ({@code requiresGradient() == false}) and parameters that never received a gradient
 * are skipped; their state is created at their first update. Updates happen in place on the
 * parameter arrays; the moments live on the optimiser's own manager and temporaries on a
 * per-step manager, so nothing lands on the model's manager.
 *
 * <p>Difference from PyTorch: gradients are zeroed in place rather than set to None, so a
 * trainable parameter that took part in earlier steps but gets no gradient in a later one is
 * updated with a zero gradient (its moments decay) instead of being skipped.
 */
public final class AdamW implements AutoCloseable {
  /** A name segment "ln", "ln_1", "ln2" (GPT-2 style LayerNorm names), after a separator or DJL's child number. */
  private static final java.util.regex.Pattern LN_SEGMENT =
      java.util.regex.Pattern.compile("(^|[_.0-9])ln(_?[0-9]+|_f)?([_.]|$)");

  /**
   * Biases and normalisation parameters: the lower-case name contains "bias" or "norm" (LayerNorm,
   * layer_norm, BatchNorm), ends in "_gamma"/"_beta" (DJL's norm blocks), or has an "ln" segment
   * (GPT-2's ln_1, ln_2, ln_f).
   */
  public static final Predicate<String> DEFAULT_NO_DECAY =
      name -> {
        String n = name.toLowerCase(Locale.ROOT);
        return n.contains("bias") || n.contains("norm") || n.endsWith("_gamma") || n.endsWith("_beta")
            || LN_SEGMENT.matcher(n).find();
      };

  private static final int STATE_MAGIC = 0x4E524F50; // "NROP"
  private static final int STATE_VERSION = 1;

  private final double beta1;
  private final double beta2;
  private final double eps;
  private final List<Slot> slots;
  private final Map<String, Slot> byName;
  private final List<ParamGroup> groups;
  private final NDManager stateManager;

  /** One parameter with its group, decay and state. */
  private static final class Slot {
    final String name;
    final Parameter parameter;
    final ParamGroup group;
    final double weightDecay;
    NDArray m;
    NDArray v;
    long step;

    Slot(String name, Parameter parameter, ParamGroup group, double weightDecay) {
      this.name = name;
      this.parameter = parameter;
      this.group = group;
      this.weightDecay = weightDecay;
    }
  }

  private AdamW(Builder b, List<Pair<String, Parameter>> parameters, NDManager stateManager) {
    this.beta1 = b.beta1;
    this.beta2 = b.beta2;
    this.eps = b.eps;
    this.stateManager = stateManager;
    List<ParamGroup> gs = new ArrayList<>(b.groups);
    ParamGroup fallback = new ParamGroup("default", n -> true, b.learningRate, b.weightDecay);
    gs.add(fallback);
    this.groups = Collections.unmodifiableList(gs);
    this.slots = new ArrayList<>();
    this.byName = new LinkedHashMap<>();
    // tied weights (one Parameter, or one array, reachable under several names) are updated once,
    // under the first name; the other names are aliases
    Map<Object, Slot> seen = new IdentityHashMap<>();
    for (Pair<String, Parameter> p : parameters) {
      String name = p.getKey();
      Parameter parameter = p.getValue();
      Slot existing = seen.get(parameter);
      if (existing == null && parameter.isInitialized()) existing = seen.get(parameter.getArray());
      if (existing != null) {
        if (byName.put(name, existing) != null) throw new IllegalArgumentException("duplicate parameter name " + name);
        continue;
      }
      ParamGroup g = gs.stream().filter(x -> x.selects().test(name)).findFirst().orElse(fallback);
      double wd = b.noDecay.test(name) ? 0.0 : g.weightDecay();
      Slot s = new Slot(name, parameter, g, wd);
      if (byName.put(name, s) != null) {
        throw new IllegalArgumentException("duplicate parameter name " + name);
      }
      seen.put(parameter, s);
      if (parameter.isInitialized()) seen.put(parameter.getArray(), s);
      slots.add(s);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The groups in matching order; the last is the default group. */
  public List<ParamGroup> groups() {
    return groups;
  }

  /** The group a parameter belongs to. */
  public ParamGroup groupOf(String parameterName) {
    return slot(parameterName).group;
  }

  /** The weight decay applied to a parameter (0 for no-decay names). */
  public double weightDecayOf(String parameterName) {
    return slot(parameterName).weightDecay;
  }

  /** Number of updates applied to a parameter so far (PyTorch's state["step"]); aliases of tied weights share it. */
  public long stepOf(String parameterName) {
    return slot(parameterName).step;
  }

  /** The parameter names this optimiser manages, in block order (a tied weight under its first name only). */
  public List<String> parameterNames() {
    return slots.stream().map(s -> s.name).toList();
  }

  private Slot slot(String name) {
    Slot s = byName.get(name);
    if (s == null) throw new IllegalArgumentException("unknown parameter " + name);
    return s;
  }

  /** The parameters that currently take part in training (not frozen, with an array). */
  private List<Slot> trainable() {
    List<Slot> out = new ArrayList<>();
    for (Slot s : slots) {
      if (s.parameter.requiresGradient() && s.parameter.isInitialized()) out.add(s);
    }
    return out;
  }

  /**
   * The gradient of an array attached to {@code manager} (a fresh handle; closing it leaves the
   * gradient itself alone), or null when backward never reached it.
   */
  static NDArray gradient(NDArray array, NDManager manager) {
    NDArray g;
    if (array instanceof PtNDArray pt) {
      g = JniUtils.getGradient(pt);
      if (g == null) return null;
    } else {
      if (!array.hasGradient()) return null;
      g = array.getGradient();
    }
    g.attach(manager);
    return g;
  }

  /** The trainable parameters that have a gradient, with gradient handles attached to tmp. */
  private List<Map.Entry<Slot, NDArray>> gradients(NDManager tmp) {
    List<Map.Entry<Slot, NDArray>> out = new ArrayList<>();
    for (Slot s : trainable()) {
      NDArray g = gradient(s.parameter.getArray(), tmp);
      if (g != null) out.add(Map.entry(s, g));
    }
    return out;
  }

  /**
   * Clips the gradients of all trainable parameters to a global L2 norm of at most {@code maxNorm}
   * (as {@code torch.nn.utils.clip_grad_norm_}: scale by {@code maxNorm / (norm + 1e-6)} when that
   * is below 1).
   *
   * @return the global norm before clipping
   */
  public double clipGradients(double maxNorm) {
    return step(Double.NaN, maxNorm, false);
  }

  /** The global L2 norm of the current gradients. */
  public double gradientNorm() {
    return clipGradients(Double.POSITIVE_INFINITY);
  }

  /**
   * Applies one AdamW update to every trainable parameter that has a gradient, with each group's
   * learning rate multiplied by {@code lrMultiplier}. Gradients are left as they are; call {@link
   * #zeroGradients()} before the next accumulation.
   */
  public void step(double lrMultiplier) {
    step(lrMultiplier, Double.POSITIVE_INFINITY, false);
  }

  /**
   * One training step's worth of optimiser work on the accumulated gradients: clip them to global
   * norm {@code maxGradNorm} (infinity: no clipping), update the parameters with the groups'
   * learning rates times {@code lrMultiplier} (NaN: no update), and zero the gradients if asked.
   * When the gradient norm is not finite (overflow, NaN) the parameters are not updated; the
   * caller sees the norm and decides.
   *
   * @return the global gradient norm before clipping
   */
  public double step(double lrMultiplier, double maxGradNorm, boolean zeroGradients) {
    boolean gradMode = JniUtils.isGradMode();
    if (gradMode) JniUtils.setGradMode(false);
    try (NDManager tmp = stateManager.newSubManager()) {
      List<Map.Entry<Slot, NDArray>> grads = gradients(tmp);
      double norm = GradientClipping.clipByGlobalNorm(grads.stream().map(Map.Entry::getValue).toList(), maxGradNorm);
      // a non-finite gradient would turn every touched weight into NaN: leave the weights alone
      if (!Double.isNaN(lrMultiplier) && Double.isFinite(norm)) {
        for (Map.Entry<Slot, NDArray> e : grads) {
          try (NDManager scratch = tmp.newSubManager()) {
            // when the gradients are zeroed afterwards anyway, the update may use them as scratch
            update(e.getKey(), e.getValue(), e.getKey().group.learningRate() * lrMultiplier, scratch, zeroGradients);
          }
        }
      }
      if (zeroGradients) {
        for (Map.Entry<Slot, NDArray> e : grads) zero(e.getKey().parameter.getArray(), e.getValue());
      }
      return norm;
    } finally {
      if (gradMode) JniUtils.setGradMode(true);
    }
  }

  /**
   * One AdamW update of {@code s}. Written to touch memory as few times as possible (the update is
   * memory-bound): in-place arithmetic, and the gradient itself as scratch when {@code
   * gradIsScratch}; two temporaries (sqrt(v) and m / denom) per parameter.
   */
  private void update(Slot s, NDArray g, double lr, NDManager tmp, boolean gradIsScratch) {
    NDArray p = s.parameter.getArray();
    if (s.m == null) {
      s.m = stateManager.zeros(p.getShape(), p.getDataType(), p.getDevice());
      s.v = stateManager.zeros(p.getShape(), p.getDataType(), p.getDevice());
    }
    s.step++;
    if (s.weightDecay != 0.0 && lr != 0.0) {
      p.muli(1.0 - lr * s.weightDecay);
    }
    // m <- b1 * m + (1 - b1) * g, computed as b1 * (m - g) + g without a temporary
    s.m.subi(g).muli(beta1).addi(g);
    // v <- b2 * v + (1 - b2) * g^2, likewise with g^2 in place of g
    NDArray g2;
    if (gradIsScratch) {
      g2 = g.muli(g);
    } else {
      g2 = g.square();
      g2.attach(tmp);
    }
    s.v.subi(g2).muli(beta2).addi(g2);
    // StrictMath: Math.pow may differ by an ulp between interpreted and compiled code, and a
    // resumed run must compute exactly what the uninterrupted one did
    double bc1 = 1.0 - StrictMath.pow(beta1, s.step);
    double bc2 = 1.0 - StrictMath.pow(beta2, s.step);
    double stepSize = lr / bc1;
    NDArray denom = s.v.sqrt();
    denom.attach(tmp);
    denom.divi(Math.sqrt(bc2)).addi(eps);
    NDArray delta = s.m.div(denom);
    delta.attach(tmp);
    denom.close();
    p.subi(delta.muli(stepSize));
  }

  /** Zeroes a gradient in place (PyTorch: one write pass through {@code grad.zero_()}). */
  private static void zero(NDArray parameterArray, NDArray gradient) {
    if (parameterArray instanceof PtNDArray pt) {
      JniUtils.zeroGrad(pt);
    } else {
      gradient.subi(gradient);
    }
  }


  /** Sets the gradients of all trainable parameters to zero, in place. */
  public void zeroGradients() {
    boolean gradMode = JniUtils.isGradMode();
    if (gradMode) JniUtils.setGradMode(false);
    try (NDManager tmp = stateManager.newSubManager()) {
      for (Slot s : slots) {
        if (!s.parameter.isInitialized()) continue;
        NDArray g = gradient(s.parameter.getArray(), tmp);
        if (g != null) zero(s.parameter.getArray(), g);
      }
    } finally {
      if (gradMode) JniUtils.setGradMode(true);
    }
  }

  /** Writes step counts and moments of every parameter that has state. */
  public void saveState(DataOutputStream out) throws IOException {
    out.writeInt(STATE_MAGIC);
    out.writeInt(STATE_VERSION);
    out.writeDouble(beta1);
    out.writeDouble(beta2);
    out.writeDouble(eps);
    List<Slot> withState = slots.stream().filter(s -> s.m != null).toList();
    out.writeInt(withState.size());
    for (Slot s : withState) {
      out.writeUTF(s.name);
      out.writeLong(s.step);
      TensorIo.write(out, s.m);
      TensorIo.write(out, s.v);
    }
  }

  /** Replaces the state with what {@link #saveState} wrote; parameters must match by name and shape. */
  public void loadState(DataInputStream in) throws IOException {
    if (in.readInt() != STATE_MAGIC) throw new IOException("not an optimiser state file");
    int version = in.readInt();
    if (version != STATE_VERSION) throw new IOException("unsupported optimiser state version " + version);
    double b1 = in.readDouble();
    double b2 = in.readDouble();
    double e = in.readDouble();
    if (b1 != beta1 || b2 != beta2 || e != eps) {
      throw new IOException(
          String.format(Locale.ROOT, "optimiser state has betas (%s, %s) eps %s, this optimiser (%s, %s) eps %s",
              b1, b2, e, beta1, beta2, eps));
    }
    clearState();
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      String name = in.readUTF();
      Slot s = byName.get(name);
      if (s == null) throw new IOException("optimiser state names unknown parameter " + name);
      long step = in.readLong();
      NDArray m = TensorIo.read(in, stateManager);
      NDArray v = TensorIo.read(in, stateManager);
      Shape expected = s.parameter.getArray().getShape();
      if (!m.getShape().equals(expected) || !v.getShape().equals(expected)) {
        throw new IOException("optimiser state of " + name + " has shape " + m.getShape() + ", parameter " + expected);
      }
      s.step = step;
      s.m = onDeviceOf(m, s.parameter.getArray());
      s.v = onDeviceOf(v, s.parameter.getArray());
    }
  }

  private static NDArray onDeviceOf(NDArray a, NDArray like) {
    if (a.getDevice().equals(like.getDevice())) return a;
    NDArray moved = a.toDevice(like.getDevice(), true);
    a.close();
    return moved;
  }

  private void clearState() {
    for (Slot s : slots) {
      if (s.m != null) {
        s.m.close();
        s.v.close();
      }
      s.m = null;
      s.v = null;
      s.step = 0;
    }
  }

  @Override
  public void close() {
    stateManager.close();
  }

  /** Configuration; {@link #build(Block)} binds it to a block's parameters. */
  public static final class Builder {
    private double learningRate = 1e-3;
    private double weightDecay = 0.01;
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double eps = 1e-8;
    private final List<ParamGroup> groups = new ArrayList<>();
    private Predicate<String> noDecay = DEFAULT_NO_DECAY;

    /** Learning rate of the default group (parameters no other group selects). */
    public Builder learningRate(double lr) {
      this.learningRate = lr;
      return this;
    }

    /** Weight decay of the default group (PyTorch's AdamW default is 0.01). */
    public Builder weightDecay(double wd) {
      this.weightDecay = wd;
      return this;
    }

    public Builder betas(double beta1, double beta2) {
      if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
        throw new IllegalArgumentException("betas must be in [0, 1): " + beta1 + ", " + beta2);
      }
      this.beta1 = beta1;
      this.beta2 = beta2;
      return this;
    }

    public Builder eps(double eps) {
      if (!(eps >= 0)) throw new IllegalArgumentException("eps must be >= 0: " + eps);
      this.eps = eps;
      return this;
    }

    /** Adds a group; groups are tried in the order added, the first match wins. */
    public Builder group(ParamGroup group) {
      groups.add(group);
      return this;
    }

    public Builder group(String name, Predicate<String> selects, double lr, double wd) {
      return group(new ParamGroup(name, selects, lr, wd));
    }

    /** Names that get no weight decay in any group; {@code n -> false} decays everything. */
    public Builder noDecay(Predicate<String> noDecay) {
      this.noDecay = noDecay;
      return this;
    }

    public AdamW build(Block block) {
      return build(block.getParameters());
    }

    /** Binds to (name, parameter) pairs, e.g. {@code block.getParameters()} or a subset of it. */
    public AdamW build(Iterable<Pair<String, Parameter>> parameters) {
      new ParamGroup("default", n -> true, learningRate, weightDecay); // validates
      List<Pair<String, Parameter>> list = new ArrayList<>();
      parameters.forEach(list::add);
      return new AdamW(this, list, NDManager.newBaseManager());
    }
  }
}
