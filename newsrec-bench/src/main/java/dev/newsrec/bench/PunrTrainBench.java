package dev.newsrec.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.newsrec.nn.Engines;
import dev.newsrec.nn.plm.BertEmbeddings;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.PlmBlock;
import dev.newsrec.nn.plm.weights.PretrainedPlm;
import dev.newsrec.nn.punr.PunrEncoder;
import dev.newsrec.nn.punr.PunrHeads;
import dev.newsrec.nn.train.AdamW;
import dev.newsrec.nn.train.BatchSource;
import dev.newsrec.nn.train.StepContext;
import dev.newsrec.nn.train.StepFunction;
import dev.newsrec.nn.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * {@code newsrec bench train --model punr}: PUNR's two training steps on the bundled MiniLM with
 * the 50-row behaviour-segment table, on user documents of {@code docTokens} tokens ([CLS] t1 [SEP]
 * t2 [SEP] ..., segment k on behaviour k): the fine-tuning step (Siamese encoder over B documents
 * and B x 5 candidate titles of 30 tokens, CLS pooling, dot products, softmax cross entropy, clip
 * 1.0, AdamW) and the behaviour pre-training step (MLM loss at 15% of the title tokens + the
 * one-layer causal decoder's generation loss through the tied MLM head, clip, AdamW). The same
 * weights and inputs are written to a folder that the PyTorch reference reads; one step's loss
 * without dropout is compared before timing; then the steps alternate. Each stage runs in a child
 * JVM so its peak RSS is its own.
 */
public final class PunrTrainBench {
  private PunrTrainBench() {}

  /** threads, documents per step, tokens per document, timed rounds, stages, child -Xmx. */
  public record Options(int threads, int batch, int docTokens, int rounds, List<String> stages,
      String heap) {}

  /** The stages this bench knows. */
  public static final List<String> STAGES = List.of("finetune", "behaviour");

  static final int CANDIDATES = 5;
  static final int TITLE_TOKENS = 30;
  static final int SEGMENTS = 50;
  static final int CLS = 101;
  static final int SEP = 102;
  static final int MASK = 103;

  /** Runs each stage in its own child JVM; returns 0, or 1 when a stage failed. */
  public static int run(Path work, Options o) throws IOException, InterruptedException {
    BenchEnvironment.print(System.out);
    Optional<String> missing = TorchReference.unavailable();
    if (missing.isPresent()) {
      System.out.println("no PyTorch reference (" + missing.get() + "); ratios skipped");
    }
    return BenchEnvironment.runChildren(o.heap(), PunrTrainBench.class, o.stages(), s -> List.of(s,
        Integer.toString(o.threads()), Integer.toString(o.batch()), Integer.toString(o.docTokens()),
        Integer.toString(o.rounds()), Boolean.toString(missing.isEmpty()),
        work.resolve("punr-" + s).toString()));
  }

  /** The same batch every step: each round does the same work. */
  static <T> BatchSource<T> repeat(T batch) {
    return new BatchSource<>() {
      @Override public T next() { return batch; }
      @Override public byte[] saveState() { return new byte[0]; }
      @Override public void restoreState(byte[] state) {}
    };
  }

  /** The fixed inputs of a step (row-major). */
  record Inputs(int rows, int length, long[] ids, long[] mask, long[] segments, long[] masked,
      long[] positions, long[] labels, long[] titles, long[] titleMask) {}

  /**
   * B documents of exactly {@code length} tokens: [CLS], behaviours of 10 title tokens + [SEP]
   * (the last one shorter to fill the length), behaviour k on segment k; 15% of the title tokens
   * masked (seed 42); B x 5 titles of 30 tokens.
   */
  static Inputs inputs(int rows, int length, int vocab) {
    Random r = new Random(42);
    long[] ids = new long[rows * length];
    long[] seg = new long[rows * length];
    long[] mask = new long[rows * length];
    java.util.Arrays.fill(mask, 1);
    List<Long> positions = new ArrayList<>();
    List<Long> labels = new ArrayList<>();
    long[] masked = new long[rows * length];
    for (int b = 0; b < rows; b++) {
      int o = b * length;
      ids[o] = CLS;
      int pos = 1;
      int k = 0;
      while (pos < length) {
        int left = length - pos;
        int words = Math.min(10, left - 1);
        for (int i = 0; i < words; i++) {
          ids[o + pos] = 1000 + r.nextInt(vocab - 1000);
          seg[o + pos] = Math.min(k, SEGMENTS - 1);
          pos++;
        }
        ids[o + pos] = SEP;
        seg[o + pos] = Math.min(k, SEGMENTS - 1);
        pos++;
        k++;
      }
      for (int t = 0; t < length; t++) {
        long id = ids[o + t];
        masked[o + t] = id;
        if (id != CLS && id != SEP && r.nextDouble() < 0.15) {
          positions.add((long) (o + t));
          labels.add(id);
          masked[o + t] = MASK;
        }
      }
    }
    int titles = rows * CANDIDATES;
    long[] tids = new long[titles * TITLE_TOKENS];
    long[] tmask = new long[titles * TITLE_TOKENS];
    for (int n = 0; n < titles; n++) {
      for (int t = 0; t < TITLE_TOKENS; t++) {
        tids[n * TITLE_TOKENS + t] = t == 0 ? CLS : t == TITLE_TOKENS - 1 ? SEP : 1000 + r.nextInt(vocab - 1000);
        tmask[n * TITLE_TOKENS + t] = 1;
      }
    }
    return new Inputs(rows, length, ids, mask, seg, masked,
        positions.stream().mapToLong(Long::longValue).toArray(),
        labels.stream().mapToLong(Long::longValue).toArray(), tids, tmask);
  }

  /** The fine-tuning step: CE over dot(encoder(titles), encoder(documents)), positive first. */
  static final class FinetuneStep implements StepFunction<Inputs> {
    private final PunrEncoder encoder;

    FinetuneStep(PunrEncoder encoder) { this.encoder = encoder; }

    @Override
    public NDArray loss(StepContext ctx, Inputs x) {
      NDManager m = ctx.manager();
      ParameterStore ps = ctx.parameterStore();
      Shape doc = new Shape(x.rows(), x.length());
      Shape title = new Shape((long) x.rows() * CANDIDATES, TITLE_TOKENS);
      NDArray users = encoder.encode(ps, m.create(x.ids(), doc), m.create(x.mask(), doc),
          m.create(x.segments(), doc), ctx.training());
      NDArray news = encoder.encode(ps, m.create(x.titles(), title), m.create(x.titleMask(), title),
          ctx.training());
      long h = users.getShape().get(1);
      NDArray scores = news.reshape(x.rows(), CANDIDATES, h).matMul(users.expandDims(-1)).squeeze(-1);
      return scores.logSoftmax(-1).get(new NDIndex(":, 0")).mean().neg();
    }
  }

  /** The behaviour step: MLM at the masked positions + generation, as PUNR's PretrainingStep. */
  static final class BehaviourStep implements StepFunction<Inputs> {
    private final PunrEncoder encoder;
    private final PunrHeads heads;

    BehaviourStep(PunrEncoder encoder, PunrHeads heads) {
      this.encoder = encoder;
      this.heads = heads;
    }

    @Override
    public NDArray loss(StepContext ctx, Inputs x) {
      NDManager m = ctx.manager();
      ParameterStore ps = ctx.parameterStore();
      boolean training = ctx.training();
      Shape shape = new Shape(x.rows(), x.length());
      NDArray mask = m.create(x.mask(), shape);
      NDArray seg = m.create(x.segments(), shape);
      BertModel bert = encoder.plm();
      NDArray hidden = bert.encode(ps, m.create(x.masked(), shape), mask, null, seg, training);
      PunrHeads.Loss mlm = heads.mlmLoss(ps, m, hidden, x.positions(), x.labels(), training);
      NDArray user = encoder.pool(ps, hidden, mask, training);
      NDArray embeddings = bert.embeddings().embed(ps, m.create(x.ids(), shape), null, seg, training);
      PunrHeads.Loss gen = heads.generationLoss(ps, m, user, embeddings, x.ids(), x.mask(), x.rows(),
          x.length(), training);
      return mlm.loss().add(gen.loss());
    }
  }

  /** The encoder and the heads as one block for the optimiser (the word embedding once). */
  static final class StageBlock extends PlmBlock {
    StageBlock(PunrEncoder encoder, PunrHeads heads) {
      child("encoder", encoder);
      child("heads", heads);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
        PairList<String, Object> params) {
      throw new UnsupportedOperationException("run by the step function");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
      return inputShapes;
    }
  }

  /** Child: STAGE THREADS BATCH DOC_TOKENS ROUNDS WITH_REFERENCE DUMP_DIR. */
  public static void main(String[] args) throws IOException {
    String stage = args[0];
    int threads = Integer.parseInt(args[1]);
    int batch = Integer.parseInt(args[2]);
    int docTokens = Integer.parseInt(args[3]);
    int rounds = Integer.parseInt(args[4]);
    boolean withReference = Boolean.parseBoolean(args[5]);
    Path dump = Path.of(args[6]);
    boolean behaviour = stage.equals("behaviour");
    Engines.prepare();
    Engines.setThreads(threads);
    try (NDManager manager = NDManager.newBaseManager()) {
      PretrainedPlm plm = PretrainedPlm.load(PretrainedPlm.BUNDLED, manager,
          b -> b.optSegmentEmbedding(SEGMENTS, BertEmbeddings.SegmentMode.ADDED));
      BertModel bert = plm.model();
      PunrEncoder encoder = new PunrEncoder(bert, PunrEncoder.Pooling.CLS, 200);
      int hiddenSize = bert.config().hiddenSize();
      // a non-zero segment table, so the check covers it (PUNR starts it at zero)
      Parameter segment = bert.namedParameters().get("embeddings.segment_embeddings.weight");
      Random r = new Random(7);
      float[] values = new float[(int) segment.getArray().size()];
      for (int i = 0; i < values.length; i++) values[i] = (float) (0.02 * r.nextGaussian());
      PlmBlock.assign(segment.getArray(), values);
      PunrHeads heads = null;
      if (behaviour) {
        heads = new PunrHeads(bert);
        heads.initialize(manager, DataType.FLOAT32, new Shape(1, 1, hiddenSize));
      }
      Inputs x = inputs(batch, docTokens, bert.config().vocabSize());
      write(dump, bert, heads, x);
      PlmBlock block = behaviour ? new StageBlock(encoder, heads) : encoder;
      StepFunction<Inputs> step = behaviour ? new BehaviourStep(encoder, heads) : new FinetuneStep(encoder);
      BatchSource<Inputs> source = repeat(x);
      long rssModel = TrainBench.rss("VmRSS");
      String name = behaviour
          ? String.format(Locale.ROOT, "behaviour pre-training (MLM %d masked + generation)", x.positions().length)
          : "fine-tuning (1+4 titles x " + TITLE_TOKENS + " tokens)";
      System.out.printf(Locale.ROOT, "punr [%s]: %d user documents x %d tokens per step%n", name,
          batch, docTokens);
      AdamW optimizer = AdamW.builder().learningRate(1e-5).weightDecay(0.01).build(block);
      try (Trainer<Inputs> trainer = Trainer.builder(block, step, source).optimizer(optimizer)
          .maxGradNorm(1.0).totalSteps(Long.MAX_VALUE).build()) {
        double ours0 = trainer.evaluate(ctx -> (double) step.loss(ctx, x).getFloat());
        DoubleSupplier ours = PlmBench.timed(() -> trainer.trainSteps(1));
        if (withReference) {
          try (TorchReference ref = TorchReference.start(List.of("train-punr", "--weights",
              dump.toString(), "--stage", behaviour ? "behaviour" : "finetune", "--threads",
              Integer.toString(threads), "--warmup", "1"))) {
            double theirs0 = ref.readyNumber("check_loss");
            double diff = Math.abs(ours0 - theirs0);
            boolean agree = diff <= 1e-3 * Math.max(1, Math.abs(ours0));
            System.out.printf(Locale.ROOT, "check punr [%s]: loss without dropout newsrec %.6f vs pytorch"
                + " %.6f (|diff| %.2e): %s%n", name, ours0, theirs0, diff, agree ? "agree" : "DISAGREE");
            if (!agree) {
              System.exit(1);
            }
            double[] rates = PlmBench.interleaved(0, rounds, new double[] {batch, batch}, ours,
                ref::runOnce);
            System.out.printf(Locale.ROOT, "train punr [%s] documents/s %.3f vs pytorch %.3f: ratio %.2f%n",
                name, rates[0], rates[1], rates[0] / rates[1]);
            System.out.printf(Locale.ROOT, "memory punr [%s]: pytorch peak RSS %.2f GB%n", name,
                ref.peakRss() / 1e9);
          }
        } else {
          System.out.printf(Locale.ROOT, "check punr [%s]: loss without dropout newsrec %.6f%n", name, ours0);
          double[] rates = PlmBench.interleaved(0, rounds, new double[] {batch}, ours);
          System.out.printf(Locale.ROOT, "train punr [%s] documents/s %.3f%n", name, rates[0]);
        }
      }
      System.out.printf(Locale.ROOT, "memory punr [%s]: newsrec peak RSS %.2f GB (JVM + model %.2f GB)%n",
          name, TrainBench.rss("VmHWM") / 1e9, rssModel / 1e9);
    }
  }

  /** index.json + data.bin ({@link BenchDump}): every weight, and the step's inputs (int64). */
  static void write(Path dir, BertModel bert, PunrHeads heads, Inputs x) throws IOException {
    Map<String, Parameter> params = new LinkedHashMap<>(bert.namedParameters());
    if (heads != null) params.putAll(heads.namedParameters());
    long titles = (long) x.rows() * CANDIDATES;
    try (BenchDump d = new BenchDump(dir)) {
      d.params(params)
          .longs("input.doc_ids", x.ids(), x.rows(), x.length())
          .longs("input.doc_mask", x.mask(), x.rows(), x.length())
          .longs("input.doc_segments", x.segments(), x.rows(), x.length())
          .longs("input.masked_ids", x.masked(), x.rows(), x.length())
          .longs("input.mlm_positions", x.positions(), x.positions().length)
          .longs("input.mlm_labels", x.labels(), x.labels().length)
          .longs("input.title_ids", x.titles(), titles, TITLE_TOKENS)
          .longs("input.title_mask", x.titleMask(), titles, TITLE_TOKENS);
    }
  }
}
