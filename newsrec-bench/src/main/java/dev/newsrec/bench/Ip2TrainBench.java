package dev.newsrec.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.newsrec.core.data.Entity;
import dev.newsrec.core.data.News;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.nn.Engines;
import dev.newsrec.nn.ip2.ContrastiveLoss;
import dev.newsrec.nn.ip2.ContrastiveOptions;
import dev.newsrec.nn.ip2.Ip2;
import dev.newsrec.nn.ip2.Ip2NewsEncoder;
import dev.newsrec.nn.ip2.Ip2Options;
import dev.newsrec.nn.ip2.SignatureEntityEncoder;
import dev.newsrec.nn.model.NewsInputs;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.model.NewsTokens;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.PlmBlock;
import dev.newsrec.nn.plm.tokenizer.PlmTokenizer;
import dev.newsrec.nn.plm.weights.PretrainedPlm;
import dev.newsrec.nn.rec.BuildContext;
import dev.newsrec.nn.rec.HistoryOptions;
import dev.newsrec.nn.rec.NceBatch;
import dev.newsrec.nn.rec.NceStep;
import dev.newsrec.nn.rec.NceTrainingOptions;
import dev.newsrec.nn.rec.NewsVectors;
import dev.newsrec.nn.train.AdamW;
import dev.newsrec.nn.train.ParamGroup;
import dev.newsrec.nn.train.StepContext;
import dev.newsrec.nn.train.StepFunction;
import dev.newsrec.nn.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * {@code newsrec bench train --model ip2}: IP2's training steps as the CPU configs run them
 * ({@code configs/ip2/mind-small-cpu.yaml}: bundled MiniLM, title self-attention off) with MIND's
 * shapes, through the model's own code paths ({@link Ip2#trainingNews} with its frozen-output
 * cache, the shared {@link NceStep}), against the same step in the PyTorch reference on the same
 * weights and inputs. Settings: {@code finetune} (MiniLM frozen, its token outputs cached: the
 * step starts from them), {@code top1} (its top layer trainable over the cached outputs of the
 * lower five), {@code all} (every layer trainable, the paper's), {@code contrastive} (the
 * entity-title contrastive stage's step: three symmetric in-batch InfoNCE terms). Each runs in a
 * child JVM so its peak RSS is its own; every setting prints RSS after each timed step, and
 * {@code finetune} then runs further steps printing RSS and the native arrays DJL holds, so a
 * per-step growth shows and where it sits.
 */
public final class Ip2TrainBench {
  private Ip2TrainBench() {}

  /**
   * threads; NCE samples per step; news per contrastive step; clicks per history; tokens per
   * title; entity memory rows; timed rounds; extra steps watched for memory growth; settings;
   * child -Xmx.
   */
  public record Options(int threads, int batch, int contrastiveBatch, int history, int titleTokens,
      int entities, int rounds, int watchSteps, List<String> stages, String heap) {}

  /** The settings this bench knows. */
  public static final List<String> STAGES = List.of("finetune", "top1", "all", "contrastive");

  static final int NEGATIVES = 4;
  /** Entities per title: 0-3 as the synthetic worlds (at most max_entities, 10, are read). */
  static final int MAX_TITLE_ENTITIES = 3;

  /** Runs each setting in its own child JVM; returns 0, or 1 when one failed. */
  public static int run(Path work, Options o) throws IOException, InterruptedException {
    BenchEnvironment.print(System.out);
    Optional<String> missing = TorchReference.unavailable();
    if (missing.isPresent()) {
      System.out.println("no PyTorch reference (" + missing.get() + "); ratios skipped");
    }
    return BenchEnvironment.runChildren(o.heap(), Ip2TrainBench.class, o.stages(), s -> List.of(s,
        Integer.toString(o.threads()), Integer.toString(o.batch()),
        Integer.toString(o.contrastiveBatch()), Integer.toString(o.history()),
        Integer.toString(o.titleTokens()), Integer.toString(o.entities()),
        Integer.toString(o.rounds()), Integer.toString(o.watchSteps()),
        Boolean.toString(missing.isEmpty()), work.resolve("ip2-" + s).toString()));
  }

  /**
   * The step's news and the corpus the entity memory is sized from. {@code step}: the news one
   * step reads, every title exactly {@code titleTokens} tokens, 0-3 entities each (1-3 for the
   * contrastive stage, which leaves news without entities out); {@code tables}: the same news plus
   * title-less fillers that carry the rest of the {@code entities} ids, so the memory (and its
   * dense gradient and AdamW update) has a MIND-sized table without encoding more titles.
   */
  record World(NewsInputs step, NewsInputs tables, NceBatch batch) {}

  /** The world of a fine-tuning step (batch x (1+4 candidates + history) distinct news) or a contrastive one. */
  static World world(boolean contrastive, int batch, int contrastiveBatch, int history, int titleTokens,
      int entities, PlmTokenizer tokenizer) {
    Random r = new Random(42);
    int perUser = 1 + NEGATIVES + history;
    int count = contrastive ? contrastiveBatch : batch * perUser;
    NewsCorpus step = new NewsCorpus();
    NewsCorpus tables = new NewsCorpus();
    Set<Integer> used = new HashSet<>();
    for (int n = 0; n < count; n++) {
      int k = contrastive ? 1 + r.nextInt(MAX_TITLE_ENTITIES) : r.nextInt(MAX_TITLE_ENTITIES + 1);
      List<Entity> es = new ArrayList<>();
      Set<Integer> mine = new HashSet<>();
      while (es.size() < Math.min(k, entities)) {
        int e = r.nextInt(entities);
        if (mine.add(e)) es.add(entity(e, es.size()));
      }
      used.addAll(mine);
      News news = new News("N" + n, "cat" + n % 17, "sub" + n % 200, title(r, titleTokens), "", "",
          es, List.of());
      step.add(news);
      tables.add(news);
    }
    List<Entity> rest = new ArrayList<>();
    for (int e = 0; e < entities; e++) {
      if (used.contains(e)) continue;
      rest.add(entity(e, rest.size()));
      if (rest.size() == 10 || e == entities - 1) {
        tables.add(new News("F" + e, "cat0", "sub0", "filler", "", "", rest, List.of()));
        rest = new ArrayList<>();
      }
    }
    if (!rest.isEmpty()) tables.add(new News("F" + entities, "cat0", "sub0", "filler", "", "", rest, List.of()));
    NewsTokens stepTokens = NewsTokens.of(step, tokenizer, titleTokens);
    for (int n = 0; n < count; n++) {
      if (stepTokens.ids(n).length != titleTokens) {
        throw new IllegalStateException("title " + n + " has " + stepTokens.ids(n).length + " tokens, not "
            + titleTokens);
      }
    }
    NewsInputs stepInputs = NewsInputs.of(step, stepTokens);
    NewsInputs tableInputs = NewsInputs.of(tables, NewsTokens.of(tables, tokenizer, titleTokens));
    if (contrastive) return new World(stepInputs, tableInputs, null);
    // user b: its candidates and its history are news b*perUser.., distinct across the batch
    int[] news = new int[count];
    for (int n = 0; n < count; n++) news[n] = n;
    int[][] candidates = new int[batch][1 + NEGATIVES];
    int[][] clicks = new int[batch][history];
    int[] targets = new int[batch];
    for (int b = 0; b < batch; b++) {
      for (int c = 0; c <= NEGATIVES; c++) candidates[b][c] = b * perUser + c;
      for (int l = 0; l < history; l++) clicks[b][l] = b * perUser + 1 + NEGATIVES + l;
      targets[b] = r.nextInt(1 + NEGATIVES);
    }
    return new World(stepInputs, tableInputs, new NceBatch(news, candidates, clicks, targets));
  }

  private static Entity entity(int e, int offset) {
    return new Entity("entity" + e, "P", "Q" + e, 1.0, List.of(offset), List.of("entity" + e));
  }

  /** A title of invented words, long enough to be cut at exactly {@code tokens} WordPiece tokens. */
  private static String title(Random r, int tokens) {
    StringBuilder s = new StringBuilder();
    for (int w = 0; w < tokens; w++) {
      if (w > 0) s.append(' ');
      int len = 3 + r.nextInt(6);
      for (int i = 0; i < len; i++) s.append((char) ('a' + r.nextInt(26)));
    }
    return s.toString();
  }

  /** configs/ip2/mind-small-cpu.yaml's model, with the PLM frozen (finetune, contrastive), top-1 or all trainable. */
  static Ip2Options options(String stage, int batch, int history, int titleTokens) {
    boolean all = stage.equals("all");
    int trainable = all ? -1 : stage.equals("top1") ? 1 : 0;
    NceTrainingOptions t = new NceTrainingOptions(NEGATIVES, batch, batch, 1, 1e-3, 5e-5, 0.1, 0.01,
        1.0, 128, false, 1000);
    return new Ip2Options("minilm", 0, trainable, !all, titleTokens, false, null, null, null, null,
        null, null, null, null, null, null, null, null, Ip2Options.RANDOM, null, null, null, "cpu",
        new HistoryOptions(history, "recent"), t);
  }

  /**
   * The contrastive stage's step over a batch of news, as {@code ContrastiveStage}'s (Eq. 12 with
   * the paper's weights and temperatures), on the vectors {@link Ip2#trainingNews} gives ([title ;
   * signature]). For the loss check (training false) the mirrors are the embeddings themselves,
   * so both sides compute the same number; the stage's own step perturbs them in evaluation too.
   */
  static final class ContrastiveStep implements StepFunction<int[]> {
    private final NewsVectors news;
    private final ContrastiveOptions o;
    private final int dim;

    ContrastiveStep(NewsVectors news, ContrastiveOptions o, int dim) {
      this.news = news;
      this.o = o;
      this.dim = dim;
    }

    @Override
    public NDArray loss(StepContext ctx, int[] batch) {
      boolean training = ctx.training();
      NDArray v = news.encode(ctx.parameterStore(), ctx.manager(), batch, training);
      NDArray t = v.get(new NDIndex(":, :" + dim));
      NDArray e = v.get(new NDIndex(":, " + dim + ":"));
      NDArray tt = ContrastiveLoss.symmetric(t, mirror(t, training), o.titleTitleTemperature().floatValue());
      NDArray ee = ContrastiveLoss.symmetric(e, mirror(e, training), o.entityEntityTemperature().floatValue());
      NDArray et = ContrastiveLoss.symmetric(t, e, o.entityTitleTemperature().floatValue());
      return PlmBlock.scale(et, o.entityTitleWeight().floatValue())
          .add(PlmBlock.scale(tt, o.titleTitleWeight().floatValue()))
          .add(PlmBlock.scale(ee, o.entityEntityWeight().floatValue()));
    }

    private NDArray mirror(NDArray x, boolean training) {
      return training ? ai.djl.nn.norm.Dropout.dropout(x, o.mirrorDropout().floatValue(), true).singletonOrThrow() : x;
    }
  }

  /** Child: STAGE THREADS BATCH CONTRASTIVE_BATCH HISTORY TITLE_TOKENS ENTITIES ROUNDS WATCH_STEPS WITH_REFERENCE DUMP_DIR. */
  public static void main(String[] args) throws IOException {
    String stage = args[0];
    int threads = Integer.parseInt(args[1]);
    int batch = Integer.parseInt(args[2]);
    int contrastiveBatch = Integer.parseInt(args[3]);
    int history = Integer.parseInt(args[4]);
    int titleTokens = Integer.parseInt(args[5]);
    int entities = Integer.parseInt(args[6]);
    int rounds = Integer.parseInt(args[7]);
    int watchSteps = Integer.parseInt(args[8]);
    boolean withReference = Boolean.parseBoolean(args[9]);
    Path dump = Path.of(args[10]);
    if (!STAGES.contains(stage)) throw new IllegalArgumentException("unknown setting '" + stage + "', expected one of " + STAGES);
    boolean contrastive = stage.equals("contrastive");
    Engines.prepare();
    Engines.setThreads(threads);
    Engines.seed(42);
    Ip2Options o = options(stage, batch, history, titleTokens);
    World w = world(contrastive, batch, contrastiveBatch, history, titleTokens, entities,
        PretrainedPlm.tokenizer(o.plm()));
    int[] all = w.step().size() > 0 ? java.util.stream.IntStream.range(0, w.step().size()).toArray() : new int[0];
    String name = switch (stage) {
      case "finetune" -> "fine-tuning, MiniLM frozen, cached outputs";
      case "top1" -> "fine-tuning, MiniLM top-1 trainable on cached outputs";
      case "all" -> "fine-tuning, every MiniLM layer trainable";
      default -> "contrastive stage, MiniLM frozen, cached outputs";
    };
    try (NDManager manager = NDManager.newBaseManager()) {
      NewsRecModel model = Ip2.MODEL.build(o, new BuildContext(manager, null, w.tables(), null, line -> {}));
      Ip2NewsEncoder enc = (Ip2NewsEncoder) model.newsEncoder();
      SignatureEntityEncoder see = enc.entity();
      // the model's own path: the frozen layers' outputs cached once (Ip2's shared cache)
      NewsVectors news = Ip2.MODEL.trainingNews(o, model, w.step(), manager, line -> {});
      write(dump, model, enc, w, o, all, manager);
      long rssModel = TrainBench.rss("VmRSS");
      int longest = 0;
      for (int n : all) longest = Math.max(longest, Math.min(o.maxEntities(), w.step().entities(n).length));
      System.out.printf(Locale.ROOT, "ip2 [%s]: %s, titles %d tokens, entities per title <= %d (memory %d rows)%n",
          name, contrastive ? all.length + " news per step" : String.format(Locale.ROOT,
              "batch %d x (1+%d candidates, history %d) = %d distinct news", batch, NEGATIVES, history, all.length),
          titleTokens, longest, see.memory().getArray().getShape().get(0));
      PlmBlock block = contrastive ? enc : model;
      ContrastiveOptions co = ContrastiveOptions.defaults();
      double lr = 1e-3;
      double plmLr = contrastive ? co.plmLearningRate() : o.training().plmLearningRate();
      AdamW optimizer = AdamW.builder().learningRate(lr).weightDecay(0.01)
          .group(ParamGroup.matching("plm", "plm", plmLr, 0.01)).build(block);
      double units = contrastive ? all.length : batch;
      String unit = contrastive ? "news/s" : "samples/s";
      if (contrastive) {
        ContrastiveStep step = new ContrastiveStep(news, co, o.newsDim());
        try (Trainer<int[]> trainer = Trainer.builder(block, step, PunrTrainBench.repeat(all))
            .optimizer(optimizer).maxGradNorm(1.0).totalSteps(Long.MAX_VALUE).build()) {
          double ours0 = trainer.evaluate(ctx -> (double) step.loss(ctx, all).getFloat());
          measure(trainer, ours0, name, stage, units, unit, rounds, 0, threads, withReference, dump, manager);
        }
      } else {
        NceStep step = new NceStep(model, news, w.step());
        NceBatch b = w.batch();
        try (Trainer<NceBatch> trainer = Trainer.builder(block, step, PunrTrainBench.repeat(b))
            .optimizer(optimizer).maxGradNorm(1.0).totalSteps(Long.MAX_VALUE).build()) {
          double ours0 = trainer.evaluate(ctx -> (double) step.loss(ctx, b).getFloat());
          // the watch on the config's setting only: the top-1 and all-layer steps are 10-100x slower
          measure(trainer, ours0, name, stage, units, unit, rounds, stage.equals("finetune") ? watchSteps : 0,
              threads, withReference, dump, manager);
        }
      }
      System.out.printf(Locale.ROOT, "memory ip2 [%s]: newsrec peak RSS %.2f GB (JVM + model + cache %.2f GB)%n",
          name, TrainBench.rss("VmHWM") / 1e9, rssModel / 1e9);
    }
  }

  private static void measure(Trainer<?> trainer, double ours0, String name, String stage, double units,
      String unit, int rounds, int watchSteps, int threads, boolean withReference, Path dump,
      NDManager manager) {
    List<String> rss = new ArrayList<>();
    DoubleSupplier step = PlmBench.timed(() -> trainer.trainSteps(1));
    DoubleSupplier ours = () -> {
      double s = step.getAsDouble();
      rss.add(String.format(Locale.ROOT, "%.2f", TrainBench.rss("VmRSS") / 1e9));
      return s;
    };
    if (withReference) {
      try (TorchReference ref = TorchReference.start(List.of("train-ip2", "--weights", dump.toString(),
          "--stage", stage, "--threads", Integer.toString(threads), "--warmup", "1"))) {
        double theirs0 = ref.readyNumber("check_loss");
        double diff = Math.abs(ours0 - theirs0);
        boolean agree = diff <= 1e-3 * Math.max(1, Math.abs(ours0));
        System.out.printf(Locale.ROOT, "check ip2 [%s]: loss without dropout newsrec %.6f vs pytorch"
            + " %.6f (|diff| %.2e): %s%n", name, ours0, theirs0, diff, agree ? "agree" : "DISAGREE");
        if (!agree) {
          System.exit(1);
        }
        double[] rates = PlmBench.interleaved(0, rounds, new double[] {units, units}, ours, ref::runOnce);
        System.out.printf(Locale.ROOT, "train ip2 [%s] %s %.3f vs pytorch %.3f: ratio %.2f%n", name, unit,
            rates[0], rates[1], rates[0] / rates[1]);
        System.out.printf(Locale.ROOT, "memory ip2 [%s]: pytorch peak RSS %.2f GB%n", name, ref.peakRss() / 1e9);
      }
    } else {
      System.out.printf(Locale.ROOT, "check ip2 [%s]: loss without dropout newsrec %.6f%n", name, ours0);
      double[] rates = PlmBench.interleaved(0, rounds, new double[] {units}, ours);
      System.out.printf(Locale.ROOT, "train ip2 [%s] %s %.3f%n", name, unit, rates[0]);
    }
    System.out.printf(Locale.ROOT, "memory ip2 [%s]: newsrec RSS after each step (GB, warm-up first): %s%n",
        name, String.join(" ", rss));
    if (watchSteps > 0) watch(trainer, watchSteps, name, manager);
  }

  /**
   * Runs more steps alone, printing RSS and the native arrays DJL holds (all managers under the
   * engine's system manager, grouped by manager, the largest first) at the start, at every fifth
   * and at the end, so a per-step growth shows and where it sits.
   */
  private static void watch(Trainer<?> trainer, int steps, String name, NDManager manager) {
    NDManager system = manager.getParentManager();
    int every = Math.max(1, steps / 5);
    long rss0 = TrainBench.rss("VmRSS");
    Map<String, long[]> before = arrays(system);
    Set<String> uids = new HashSet<>();
    for (NDArray a : system.getManagedArrays()) uids.add(a.getUid());
    long heap0 = Runtime.getRuntime().totalMemory();
    System.out.printf(Locale.ROOT, "watch ip2 [%s]: step 0: RSS %.2f GB (Java heap committed %.2f GB), %s%n", name,
        rss0 / 1e9, heap0 / 1e9, summary(before));
    Map<String, long[]> last = before;
    for (int s = 1; s <= steps; s++) {
      trainer.trainSteps(1);
      if (s % every == 0 || s == steps) {
        last = arrays(system);
        System.out.printf(Locale.ROOT, "watch ip2 [%s]: step %d: RSS %.2f GB (Java heap committed %.2f GB), %s%n",
            name, s, TrainBench.rss("VmRSS") / 1e9, Runtime.getRuntime().totalMemory() / 1e9, summary(last));
      }
    }
    long grown = TrainBench.rss("VmRSS") - rss0;
    // the heap's share of RSS: committed heap pages count once touched
    long heapGrown = Runtime.getRuntime().totalMemory() - heap0;
    StringBuilder diff = new StringBuilder();
    for (Map.Entry<String, long[]> e : last.entrySet()) {
      long[] b = before.getOrDefault(e.getKey(), new long[2]);
      if (e.getValue()[0] != b[0]) {
        diff.append(String.format(Locale.ROOT, " %s %+d arrays (%+.1f MB);", e.getKey(), e.getValue()[0] - b[0],
            (e.getValue()[1] - b[1]) / 1e6));
      }
    }
    for (String k : before.keySet()) {
      if (!last.containsKey(k)) diff.append(" ").append(k).append(" closed;");
    }
    System.out.printf(Locale.ROOT, "watch ip2 [%s]: over %d steps RSS %+.1f MB (%+.2f MB/step), of it Java heap"
        + " committed %+.1f MB; DJL arrays:%s%n", name, steps, grown / 1e6, grown / 1e6 / steps, heapGrown / 1e6,
        diff.length() == 0 ? " no change" : diff.toString());
    // what the new arrays are (shape, type, owner), so a leak can be traced to the code making them
    Map<String, Integer> added = new java.util.TreeMap<>();
    for (NDArray a : system.getManagedArrays()) {
      if (a.isReleased() || uids.contains(a.getUid())) continue;
      String owner = a.getManager() == manager ? "the model's manager" : a.getManager().getName();
      added.merge(a.getShape() + " " + a.getDataType() + " on " + owner, 1, Integer::sum);
    }
    if (!added.isEmpty()) {
      StringBuilder s = new StringBuilder();
      added.forEach((k, n) -> s.append(String.format(Locale.ROOT, " %d x %s;", n, k)));
      System.out.printf(Locale.ROOT, "watch ip2 [%s]: arrays added over the %d steps and still open:%s%n", name,
          steps, s);
    }
  }

  /** Native arrays under a manager: per direct owner manager, [count, bytes]. */
  static Map<String, long[]> arrays(NDManager root) {
    Map<String, long[]> out = new LinkedHashMap<>();
    for (NDArray a : root.getManagedArrays()) {
      if (a.isReleased()) continue;
      long[] c = out.computeIfAbsent(a.getManager().getName(), k -> new long[2]);
      c[0]++;
      c[1] += a.size() * a.getDataType().getNumOfBytes();
    }
    return out;
  }

  private static String summary(Map<String, long[]> arrays) {
    long n = 0;
    long bytes = 0;
    for (long[] c : arrays.values()) {
      n += c[0];
      bytes += c[1];
    }
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "DJL holds %d arrays (%.1f MB) on %d managers",
        n, bytes / 1e6, arrays.size()));
    arrays.entrySet().stream().sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[1]))
        .limit(3).forEach(e -> s.append(String.format(Locale.ROOT, "; %s %d (%.1f MB)", e.getKey(),
            e.getValue()[0], e.getValue()[1] / 1e6)));
    return s.toString();
  }

  /**
   * The weights and the step's inputs for the reference: every parameter; the titles' frozen-part
   * outputs (what the cache hands the step; computed here again in evaluation mode, as the cache
   * does) or, with every layer trainable, their token ids; each news's entity memory rows; the
   * NCE batch.
   */
  static void write(Path dir, NewsRecModel model, Ip2NewsEncoder enc, World w, Ip2Options o, int[] news,
      NDManager parent) throws IOException {
    NewsTokens.Padded p = w.step().titles().pad(news);
    BertModel plm = enc.title().plm();
    int layers = plm.config().numHiddenLayers();
    int frozen = o.trainableLayers() < 0 ? 0 : layers - o.trainableLayers();
    SignatureEntityEncoder see = enc.entity();
    int k = 1;
    for (int n : news) k = Math.max(k, Math.min(o.maxEntities(), w.step().entities(n).length));
    long[] rows = new long[news.length * k];
    long[] rowMask = new long[news.length * k];
    for (int i = 0; i < news.length; i++) {
      int[] es = w.step().entities(news[i]);
      for (int j = 0; j < Math.min(k, es.length); j++) {
        rows[i * k + j] = see.entityRow(w.step(), es[j]);
        rowMask[i * k + j] = 1;
      }
    }
    try (BenchDump d = new BenchDump(dir); NDManager m = parent.newSubManager()) {
      d.params(model.namedParameters());
      d.longs("input.frozen_layers", new long[] {frozen}, 1);
      if (o.cacheFrozen()) {
        NDArray ids = m.create(p.ids(), new Shape(p.rows(), p.length()));
        NDArray mask = m.create(p.mask(), new Shape(p.rows(), p.length()));
        NDArray h = plm.hiddenUpTo(new ParameterStore(m, false), ids, mask, frozen, false);
        d.floats("input.title_hidden", h.toFloatArray(), p.rows(), p.length(), plm.config().hiddenSize());
      } else {
        d.longs("input.title_ids", p.ids(), p.rows(), p.length());
      }
      d.longs("input.title_mask", p.mask(), p.rows(), p.length());
      d.longs("input.entity_rows", rows, news.length, k);
      d.longs("input.entity_mask", rowMask, news.length, k);
      if (w.batch() != null) {
        NceBatch b = w.batch();
        int c = b.candidates()[0].length;
        int l = b.history()[0].length;
        long[] cands = new long[b.size() * c];
        long[] hist = new long[b.size() * l];
        long[] targets = new long[b.size()];
        for (int i = 0; i < b.size(); i++) {
          for (int j = 0; j < c; j++) cands[i * c + j] = b.candidates()[i][j];
          for (int j = 0; j < l; j++) hist[i * l + j] = b.history()[i][j];
          targets[i] = b.targets()[i];
        }
        d.longs("input.candidates", cands, b.size(), c).longs("input.history", hist, b.size(), l)
            .longs("input.targets", targets, b.size());
      }
    }
  }
}
