package dev.newsrec.nn.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.newsrec.core.UserException;
import dev.newsrec.core.io.AtomicFiles;
import dev.newsrec.nn.plm.PlmBlock;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;

/**
 * The training loop every model uses. Each optimiser step takes {@code accumulation} micro-batches
 * from the {@link BatchSource}; for each it opens a fresh {@link NDManager}, reseeds the engine
 * from (seed, step, micro-batch) so dropout is reproducible, runs the {@link StepFunction} in
 * training mode inside a gradient collector and back-propagates the loss divided by the number of
 * micro-batches; then it clips the accumulated gradients, applies {@link AdamW} with the
 * schedule's multiplier for that step, zeroes the gradients and tells the listeners.
 *
 * <p>Checkpoints hold the weights, the optimiser state, the step, the trainer's random generator,
 * the batch source's position and the smoothed loss; {@link #restore(Path)} on a trainer built with
 * the same configuration continues exactly where the checkpoint was taken.
 *
 * @param <B> the batch type
 */
public final class Trainer<B> implements AutoCloseable {
  private static final int STATE_FORMAT = 1;

  private final Block model;
  private final StepFunction<B> stepFunction;
  private final BatchSource<B> source;
  private final AdamW optimizer;
  private final LrSchedule schedule;
  private final long totalSteps;
  private final int accumulation;
  private final double maxGradNorm;
  private final long seed;
  private final Path checkpointDir;
  private final long checkpointEvery;
  private final int keepCheckpoints;
  private final double lossSmoothing;
  private final List<TrainListener> listeners;
  private final NDManager root;
  private final TrainRandom random;

  private long step;
  private double lossEma;
  private double lossEmaWeight;
  private long sessionStartNanos = -1;
  private long sessionStartStep;

  private Trainer(Builder<B> b) {
    this.model = b.model;
    this.stepFunction = b.stepFunction;
    this.source = b.source;
    this.optimizer = Objects.requireNonNull(b.optimizer, "optimizer");
    this.schedule = b.schedule;
    this.totalSteps = b.totalSteps;
    this.accumulation = b.accumulation;
    this.maxGradNorm = b.maxGradNorm;
    this.seed = b.seed;
    this.checkpointDir = b.checkpointDir;
    this.checkpointEvery = b.checkpointEvery;
    this.keepCheckpoints = b.keepCheckpoints;
    this.lossSmoothing = b.lossSmoothing;
    this.listeners = List.copyOf(b.listeners);
    this.root = NDManager.newBaseManager(deviceOf(model));
    this.random = new TrainRandom(TrainRandom.derive(seed, -1));
  }

  private static Device deviceOf(Block block) {
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (p.getValue().isInitialized()) return p.getValue().getArray().getDevice();
    }
    return Device.cpu();
  }

  public static <B> Builder<B> builder(Block model, StepFunction<B> stepFunction, BatchSource<B> source) {
    return new Builder<>(model, stepFunction, source);
  }

  /** Optimiser steps completed (also the 0-based index of the next one). */
  public long step() {
    return step;
  }

  public long totalSteps() {
    return totalSteps;
  }

  public boolean finished() {
    return step >= totalSteps;
  }

  public Block model() {
    return model;
  }

  public AdamW optimizer() {
    return optimizer;
  }

  public long seed() {
    return seed;
  }

  /** The trainer's seeded generator (its state is checkpointed); also given to steps as {@code ctx.random()}. */
  public TrainRandom random() {
    return random;
  }

  /** The engine seed used for micro-batch {@code micro} of step {@code step}. */
  public static int engineSeed(long seed, long step, int micro) {
    return (int) TrainRandom.derive(seed, step, micro);
  }

  /** Trains until {@link #totalSteps()}, writing checkpoints as configured and one at the end. */
  public void train() {
    trainSteps(totalSteps - step);
  }

  /**
   * Trains at most {@code n} more steps (never past the total). Writes a checkpoint every {@code
   * checkpointEvery} steps and at the last step when a checkpoint directory is set.
   */
  public void trainSteps(long n) {
    long end = Math.min(totalSteps, step + Math.max(0, n));
    if (sessionStartNanos < 0) {
      sessionStartNanos = System.nanoTime();
      sessionStartStep = step;
    }
    while (step < end) {
      StepEvent event = trainOneStep();
      for (TrainListener l : listeners) l.onStep(this, event);
      if (checkpointDir != null && ((checkpointEvery > 0 && step % checkpointEvery == 0) || step == totalSteps)) {
        Path written = checkpoint();
        for (TrainListener l : listeners) l.onCheckpoint(this, written);
      }
    }
  }

  private StepEvent trainOneStep() {
    Engine engine = Engine.getInstance();
    double lossSum = 0;
    Map<String, Double> metricSums = new LinkedHashMap<>();
    for (int micro = 0; micro < accumulation; micro++) {
      B batch = source.next();
      try (NDManager manager = root.newSubManager()) {
        engine.setRandomSeed(engineSeed(seed, step, micro));
        StepContext ctx = new StepContext(manager, new ParameterStore(manager, false), true, step, micro, random);
        try (GradientCollector collector = engine.newGradientCollector()) {
          NDArray loss = stepFunction.loss(ctx, batch);
          double value = scalar(loss);
          if (!Double.isFinite(value)) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                "loss is %s at step %d, micro-batch %d: training diverged (lower the learning rate?)", value, step, micro));
          }
          lossSum += value;
          // Not loss.div(accumulation): see PlmBlock.scale (DJL's scalar wrapper can be freed
          // while autograd still reads it).
          collector.backward(accumulation == 1 ? loss : PlmBlock.scale(loss, 1f / accumulation));
        }
        ctx.recorded().forEach((k, v) -> metricSums.merge(k, v, Double::sum));
      }
    }
    double multiplier = schedule.multiplier(step);
    double gradNorm = optimizer.step(multiplier, maxGradNorm, true);
    if (!Double.isFinite(gradNorm)) {
      throw new IllegalStateException(String.format(Locale.ROOT,
          "gradient norm is %s at step %d: training diverged (lower the learning rate?)", gradNorm, step));
    }
    step++;
    double loss = lossSum / accumulation;
    lossEma = lossSmoothing * lossEma + (1 - lossSmoothing) * loss;
    lossEmaWeight = lossSmoothing * lossEmaWeight + (1 - lossSmoothing);
    double elapsed = (System.nanoTime() - sessionStartNanos) / 1e9;
    double rate = elapsed > 0 ? (step - sessionStartStep) / elapsed : 0;
    Map<String, Double> lrs = new LinkedHashMap<>();
    for (ParamGroup g : optimizer.groups()) lrs.put(g.name(), g.learningRate() * multiplier);
    Map<String, Double> metrics = new LinkedHashMap<>();
    metricSums.forEach((k, v) -> metrics.put(k, v / accumulation));
    return new StepEvent(step, totalSteps, loss, lossEma / lossEmaWeight, lrs, gradNorm, rate, elapsed, metrics);
  }

  private static double scalar(NDArray loss) {
    if (loss.size() != 1) {
      throw new IllegalArgumentException("the step function must return a scalar loss, got shape " + loss.getShape());
    }
    try (NDArray d = loss.toType(DataType.FLOAT64, true)) {
      return d.getDouble(new long[loss.getShape().dimension()]);
    }
  }

  /**
   * Runs {@code fn} in evaluation mode (training false: no dropout, no gradients) with a fresh
   * manager that is closed afterwards, so {@code fn} must return plain Java values. The trainer's
   * generator and the engine seed are left as they were, so evaluating does not change training.
   */
  public <T> T evaluate(Function<StepContext, T> fn) {
    try (NDManager manager = root.newSubManager()) {
      TrainRandom evalRandom = new TrainRandom(TrainRandom.derive(seed, -2, step));
      StepContext ctx = new StepContext(manager, new ParameterStore(manager, false), false, step, 0, evalRandom);
      return fn.apply(ctx);
    }
  }

  /** Writes a checkpoint of the current state into the checkpoint directory and prunes old ones. */
  public Path checkpoint() {
    if (checkpointDir == null) throw new IllegalStateException("no checkpoint directory configured");
    Path folder = Checkpoints.folder(checkpointDir, step);
    checkpoint(folder);
    Checkpoints.prune(checkpointDir, keepCheckpoints);
    return folder;
  }

  /** Writes a checkpoint into {@code folder} atomically (temporary folder, then rename). */
  public void checkpoint(Path folder) {
    AtomicFiles.writeFolder(folder, tmp -> {
      writeData(tmp.resolve(Checkpoints.MODEL), out -> ModelWeights.save(model, out));
      writeData(tmp.resolve(Checkpoints.OPTIMIZER), optimizer::saveState);
      Properties p = new Properties();
      p.setProperty("format", Integer.toString(STATE_FORMAT));
      p.setProperty("step", Long.toString(step));
      p.setProperty("totalSteps", Long.toString(totalSteps));
      p.setProperty("accumulation", Integer.toString(accumulation));
      p.setProperty("seed", Long.toString(seed));
      p.setProperty("randomState", Long.toString(random.state()));
      p.setProperty("sourceState", Base64.getEncoder().encodeToString(source.saveState()));
      p.setProperty("lossEma", Double.toString(lossEma));
      p.setProperty("lossEmaWeight", Double.toString(lossEmaWeight));
      java.io.StringWriter text = new java.io.StringWriter();
      p.store(text, "newsrec trainer checkpoint");
      // written last: a folder with this file is complete
      writeData(tmp.resolve(Checkpoints.STATE), out -> out.write(text.toString().getBytes(StandardCharsets.UTF_8)));
    });
  }

  private interface DataWriter {
    void write(DataOutputStream out) throws IOException;
  }

  /** Writes a file and forces it to disk before the folder is renamed into place. */
  private static void writeData(Path file, DataWriter body) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20))) {
      body.write(out);
      out.flush();
      channel.force(true);
    }
  }

  /**
   * Restores weights, optimiser state, step, random state, batch position and smoothed loss from a
   * checkpoint folder written by a trainer with the same model, seed, total steps and
   * accumulation.
   */
  public void restore(Path folder) {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(folder.resolve(Checkpoints.STATE))) {
      p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UserException("cannot read checkpoint " + folder + ": " + e.getMessage());
    }
    int format = Integer.parseInt(p.getProperty("format", "0"));
    if (format != STATE_FORMAT) throw new UserException("checkpoint " + folder + " has unsupported format " + format);
    check(folder, "seed", Long.parseLong(p.getProperty("seed")), seed);
    check(folder, "totalSteps", Long.parseLong(p.getProperty("totalSteps")), totalSteps);
    check(folder, "accumulation", Long.parseLong(p.getProperty("accumulation")), accumulation);
    try {
      readData(folder.resolve(Checkpoints.MODEL), in -> ModelWeights.load(model, in));
      readData(folder.resolve(Checkpoints.OPTIMIZER), optimizer::loadState);
    } catch (IOException e) {
      throw new UserException("cannot restore checkpoint " + folder + ": " + e.getMessage());
    }
    step = Long.parseLong(p.getProperty("step"));
    random.setState(Long.parseLong(p.getProperty("randomState")));
    source.restoreState(Base64.getDecoder().decode(p.getProperty("sourceState")));
    lossEma = Double.parseDouble(p.getProperty("lossEma"));
    lossEmaWeight = Double.parseDouble(p.getProperty("lossEmaWeight"));
    sessionStartNanos = -1;
  }

  /** Restores the newest checkpoint in the checkpoint directory, if there is one. */
  public boolean resumeLatest() {
    if (checkpointDir == null) return false;
    var latest = Checkpoints.latest(checkpointDir);
    latest.ifPresent(this::restore);
    return latest.isPresent();
  }

  private static void check(Path folder, String what, long stored, long configured) {
    if (stored != configured) {
      throw new UserException(String.format(Locale.ROOT,
          "checkpoint %s was written with %s %d, this run has %d: resume with the same configuration", folder, what,
          stored, configured));
    }
  }

  private interface DataReader {
    void read(DataInputStream in) throws IOException;
  }

  private static void readData(Path file, DataReader body) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
      body.read(in);
    }
  }

  /** Closes the trainer's own manager; the model and the optimiser belong to the caller. */
  @Override
  public void close() {
    root.close();
  }

  /** Configuration of a {@link Trainer}. */
  public static final class Builder<B> {
    private final Block model;
    private final StepFunction<B> stepFunction;
    private final BatchSource<B> source;
    private AdamW optimizer;
    private LrSchedule schedule = LrSchedule.constant();
    private long totalSteps = -1;
    private int accumulation = 1;
    private double maxGradNorm = Double.POSITIVE_INFINITY;
    private long seed = 42;
    private Path checkpointDir;
    private long checkpointEvery;
    private int keepCheckpoints = 2;
    private double lossSmoothing = 0.98;
    private final List<TrainListener> listeners = new ArrayList<>();

    private Builder(Block model, StepFunction<B> stepFunction, BatchSource<B> source) {
      this.model = Objects.requireNonNull(model, "model");
      this.stepFunction = Objects.requireNonNull(stepFunction, "stepFunction");
      this.source = Objects.requireNonNull(source, "source");
    }

    public Builder<B> optimizer(AdamW optimizer) {
      this.optimizer = optimizer;
      return this;
    }

    public Builder<B> schedule(LrSchedule schedule) {
      this.schedule = Objects.requireNonNull(schedule);
      return this;
    }

    /** Number of optimiser steps (required). */
    public Builder<B> totalSteps(long totalSteps) {
      this.totalSteps = totalSteps;
      return this;
    }

    /** Micro-batches per optimiser step (gradient accumulation); default 1. */
    public Builder<B> accumulation(int microBatches) {
      if (microBatches < 1) throw new IllegalArgumentException("accumulation must be >= 1: " + microBatches);
      this.accumulation = microBatches;
      return this;
    }

    /** Clip gradients to this global L2 norm; default infinity (no clipping). */
    public Builder<B> maxGradNorm(double maxGradNorm) {
      if (!(maxGradNorm > 0)) throw new IllegalArgumentException("maxGradNorm must be > 0: " + maxGradNorm);
      this.maxGradNorm = maxGradNorm;
      return this;
    }

    /** Seeds the engine (per step) and the trainer's generator; default 42. */
    public Builder<B> seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Where checkpoints go; every {@code every} steps (0: only at the end), keeping the newest {@code keep} (0: all). */
    public Builder<B> checkpoints(Path dir, long every, int keep) {
      if (every < 0 || keep < 0) throw new IllegalArgumentException("every and keep must be >= 0");
      this.checkpointDir = dir;
      this.checkpointEvery = every;
      this.keepCheckpoints = keep;
      return this;
    }

    /** Weight of the old value in the loss moving average; default 0.98. */
    public Builder<B> lossSmoothing(double beta) {
      if (!(beta >= 0 && beta < 1)) throw new IllegalArgumentException("loss smoothing must be in [0, 1): " + beta);
      this.lossSmoothing = beta;
      return this;
    }

    public Builder<B> listener(TrainListener listener) {
      listeners.add(Objects.requireNonNull(listener));
      return this;
    }

    public Trainer<B> build() {
      if (optimizer == null) throw new IllegalStateException("an optimiser is required");
      if (totalSteps <= 0) throw new IllegalStateException("totalSteps must be set to a positive number");
      return new Trainer<>(this);
    }
  }
}
