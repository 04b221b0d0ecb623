package dev.newsrec.nn.rec;

import ai.djl.ndarray.NDManager;
import dev.newsrec.core.data.EntityEmbeddings;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.metrics.Metrics;
import dev.newsrec.core.metrics.MetricsResult;
import dev.newsrec.core.metrics.Prediction;
import dev.newsrec.core.mind.MindFolder;
import dev.newsrec.core.mind.ReadOptions;
import dev.newsrec.core.model.Recommender;
import dev.newsrec.core.model.RecommenderSpec;
import dev.newsrec.core.model.TrainContext;
import dev.newsrec.core.run.MetricsLog;
import dev.newsrec.core.sample.NceSampler;
import dev.newsrec.nn.Engines;
import dev.newsrec.nn.model.NewsInputs;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.model.NewsTokens;
import dev.newsrec.nn.model.TitleVocabulary;
import dev.newsrec.nn.plm.tokenizer.PlmTokenizer;
import dev.newsrec.nn.plm.weights.PretrainedPlm;
import dev.newsrec.nn.train.AdamW;
import dev.newsrec.nn.train.LrSchedule;
import dev.newsrec.nn.train.MetricsJsonl;
import dev.newsrec.nn.train.ModelWeights;
import dev.newsrec.nn.train.ParamGroup;
import dev.newsrec.nn.train.ProgressDisplay;
import dev.newsrec.nn.train.TrainRandom;
import dev.newsrec.nn.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The shared pipeline of every two-tower model (NRMS, PLM-NR, PUNR, IP2): tokenise the corpus
 * once, build the model its package describes ({@link NeuralModel}), start from another run's
 * weights ({@code init_from}), run the config's pre-training stages, fine-tune with 1 + K
 * candidates per click (checkpointed, resumable), keep the epoch that scores best on the
 * validation split, and load saved models.
 *
 * @param <O> the model's options record
 */
public final class NeuralSpec<O extends NeuralOptions> implements RecommenderSpec<O> {
  static final String CHECKPOINTS = dev.newsrec.core.run.RunFolder.CHECKPOINTS;
  static final String PRETRAINING = dev.newsrec.core.run.RunFolder.PRETRAINING;
  static final String BEST = dev.newsrec.core.run.RunFolder.BEST_EPOCH;

  private final NeuralModel<O> model;

  public NeuralSpec(NeuralModel<O> model) {
    this.model = model;
  }

  public NeuralModel<O> model() { return model; }

  @Override public String type() { return model.type(); }

  @Override public Class<O> optionsType() { return model.optionsType(); }

  @Override
  public Map<String, Class<?>> stages() {
    Map<String, Class<?>> out = new LinkedHashMap<>();
    for (PretrainingStage<O, ?> s : model.stages()) out.put(s.name(), s.optionsType());
    return out;
  }

  @Override
  public Recommender train(O o, TrainContext ctx) {
    Engines.prepare();
    NceTrainingOptions t = o.training();
    HistoryOptions history = o.history();
    NDManager manager = NDManager.newBaseManager(Engines.device(o.device()));
    PlmTokenizer tokenizer = PretrainedPlm.tokenizer(o.plm());
    long t0 = System.nanoTime();
    NewsTokens tokens = NewsTokens.of(ctx.train().corpus(), tokenizer, o.titleTokens());
    TitleVocabulary vocabulary = model.vocabulary(o, tokens, tokenizer);
    if (vocabulary != null) tokens = vocabulary.apply(tokens);
    ctx.log().accept(String.format(Locale.ROOT, "tokenised %d titles in %.1f s%s", tokens.size(),
        (System.nanoTime() - t0) / 1e9, vocabulary == null ? ""
            : " (" + vocabulary.size() + " distinct tokens: the word table's rows)"));
    NewsInputs inputs = NewsInputs.of(ctx.train().corpus(), tokens);
    if (model.entityVectors(o)) loadEntityVectors(inputs, ctx);
    // Initial weights come from the engine's generator: seed it, or the same seed gives another run.
    Engines.seed(TrainRandom.derive(ctx.seed(), -3));
    NewsRecModel net = model.build(o, new BuildContext(manager, vocabulary, inputs, null, ctx.log()));
    if (ctx.initFrom() != null) InitFrom.load(net, ctx.initFrom(), ctx.log());
    new Stages<>(model, o).run(net, inputs, tokenizer, ctx);

    NewsVectors news = model.trainingNews(o, net, inputs, manager, ctx.log());
    NceSampler sampler = new NceSampler(ctx.train(), t.negatives(), ctx.seed());
    NceBatches batches = new NceBatches(ctx.train(), sampler, t.microBatch(), history.max(),
        history.historyPolicy());
    int accumulation = t.batchSize() / t.microBatch();
    long stepsPerEpoch = Math.max(1, batches.batchesPerEpoch() / accumulation);
    long total = stepsPerEpoch * t.epochs();
    ctx.log().accept(String.format(Locale.ROOT,
        "%s: %d samples/epoch (%d impressions without a negative skipped), %d steps/epoch x %d epochs, batch %d (micro %d)",
        type(), sampler.samplesPerEpoch(), sampler.skippedImpressions(), stepsPerEpoch, t.epochs(),
        t.batchSize(), t.microBatch()));
    AdamW optimizer = AdamW.builder().learningRate(t.learningRate()).weightDecay(t.weightDecay())
        .group(ParamGroup.matching("plm", "plm", t.plmLearningRate(), t.weightDecay()))
        .build(net);
    NeuralRecommender rec = new NeuralRecommender(type(), net, tokenizer, o.titleTokens(),
        vocabulary, t, history, manager, inputs, dir -> model.save(o, net, dir));
    MetricsLog log = MetricsLog.in(ctx.runDir());
    MetricsJsonl steps = new MetricsJsonl(log.file(), t.logEvery());
    Trainer.Builder<NceBatch> tb = Trainer.builder(net, new NceStep(net, news, inputs), batches)
        .optimizer(optimizer).schedule(LrSchedule.linearWarmupDecay(total, t.warmup()))
        .totalSteps(total).accumulation(accumulation).maxGradNorm(t.gradClip()).seed(ctx.seed())
        .checkpoints(ctx.runDir().resolve(CHECKPOINTS), t.checkpointEvery(), t.keepCheckpoints())
        .listener(steps)
        .listener(ProgressDisplay.auto(Math.max(1, stepsPerEpoch / 10)));
    BestEpoch best = ctx.valid() == null ? null : new BestEpoch(ctx.runDir().resolve(BEST));
    Impressions dev = ctx.dev();
    boolean devEachEpoch = t.evalEveryEpoch() && dev != null && dev.labelled();
    if (devEachEpoch || best != null) {
      tb.listener((trainer, e) -> {
        if (e.step() % stepsPerEpoch != 0) return;
        long epoch = e.step() / stepsPerEpoch;
        rec.weightsChanged();
        if (best != null) {
          // From the ranks, as every reported metric (one metrics path).
          MetricsResult m = evaluate(rec, ctx.valid(), ctx);
          ctx.log().accept(String.format(Locale.ROOT, "epoch %d: valid %s", epoch, m));
          log.append(MetricsLog.Line.eval(e.step(), "valid", "epoch", (int) epoch, m));
          if (best.offer((int) epoch, m.auc())) {
            ModelWeights.save(net, best.weights());
            best.write();
          }
        }
        // The last epoch's dev metrics are the run's final ones, scored by the caller.
        if (devEachEpoch && e.step() != e.totalSteps()) {
          MetricsResult m = evaluate(rec, dev, ctx);
          ctx.log().accept(String.format(Locale.ROOT, "epoch %d: dev %s", epoch, m));
          log.append(MetricsLog.Line.eval(e.step(), "dev", "epoch", (int) epoch, m));
        }
      });
    }
    try (Trainer<NceBatch> trainer = tb.build()) {
      if (ctx.resume() && trainer.resumeLatest()) {
        steps.truncateAfter(trainer.step());
        if (best != null) best.read();
        ctx.log().accept(String.format(Locale.ROOT, "resumed fine-tuning at step %d of %d",
            trainer.step(), total));
      }
      trainer.train();
    } finally {
      try {
        steps.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (best != null && best.epoch() > 0 && best.epoch() != t.epochs()) {
      try {
        ModelWeights.load(net, best.weights());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      ctx.log().accept(String.format(Locale.ROOT, "kept epoch %d of %d: best validation AUC %.2f",
          best.epoch(), t.epochs(), 100 * best.auc()));
    } else if (best != null) {
      ctx.log().accept(String.format(Locale.ROOT, "kept the last epoch: best validation AUC %.2f", 100 * best.auc()));
    }
    rec.weightsChanged();
    return rec;
  }

  private static MetricsResult evaluate(NeuralRecommender rec, Impressions imps, TrainContext ctx) {
    return Metrics.evaluate(imps, Prediction.fromScores(imps, rec.score(imps, ctx.log())));
  }

  /** Entity vectors of the run's folders (MIND's TransE entity_embedding.vec) into the inputs. */
  private static void loadEntityVectors(NewsInputs inputs, TrainContext ctx) {
    List<MindFolder> folders = new ArrayList<>();
    for (Path p : ctx.folders()) folders.add(MindFolder.of(p));
    List<String> notes = new ArrayList<>();
    EntityEmbeddings vectors = MindFolder.entityVectors(folders, ReadOptions.STRICT, notes);
    notes.forEach(n -> ctx.log().accept("note: " + n));
    if (vectors == null) {
      ctx.log().accept("entity vectors: no " + MindFolder.ENTITY_VECTORS + " in the data folders; every entity starts at random");
    } else {
      inputs.withEntityVectors(vectors, ctx.log());
    }
  }

  @Override
  public Recommender load(O o, Path dir) {
    Engines.prepare();
    NDManager manager = NDManager.newBaseManager(Engines.device(o.device()));
    PlmTokenizer tokenizer = PretrainedPlm.tokenizer(o.plm());
    Path vocab = dir.resolve(TitleVocabulary.FILE);
    TitleVocabulary vocabulary = Files.isRegularFile(vocab) ? TitleVocabulary.read(vocab, tokenizer) : null;
    NewsRecModel net = model.build(o, new BuildContext(manager, vocabulary, null, dir, line -> {}));
    NeuralRecommender.loadWeights(net, dir);
    return new NeuralRecommender(type(), net, tokenizer, o.titleTokens(), vocabulary, o.training(),
        o.history(), manager, null, d -> model.save(o, net, d));
  }
}
