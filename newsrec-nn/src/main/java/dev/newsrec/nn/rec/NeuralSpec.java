package dev.newsrec.nn.rec;

import ai.djl.ndarray.NDManager;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.metrics.Metrics;
import dev.newsrec.core.metrics.MetricsResult;
import dev.newsrec.core.metrics.Prediction;
import dev.newsrec.core.model.Recommender;
import dev.newsrec.core.model.RecommenderSpec;
import dev.newsrec.core.model.TrainContext;
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
import dev.newsrec.nn.train.ParamGroup;
import dev.newsrec.nn.train.ProgressDisplay;
import dev.newsrec.nn.train.TrainRandom;
import dev.newsrec.nn.train.Trainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The shared NCE fine-tuning pipeline of every two-tower model (NRMS, PLM-NR, later PUNR and IP2):
 * tokenise the corpus once, build the model its package describes ({@link NeuralModel}), train
 * with 1 + K candidates per click, optionally score dev after each epoch, and load saved models.
 *
 * @param <O> the model's options record
 */
public final class NeuralSpec<O extends NeuralOptions> implements RecommenderSpec<O> {
  private final NeuralModel<O> model;

  public NeuralSpec(NeuralModel<O> model) {
    this.model = model;
  }

  @Override public String type() { return model.type(); }

  @Override public Class<O> optionsType() { return model.optionsType(); }

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
    // Initial weights come from the engine's generator: seed it, or the same seed gives another run.
    Engines.seed(TrainRandom.derive(ctx.seed(), -3));
    NewsInputs inputs = NewsInputs.of(ctx.train().corpus(), tokens);
    NewsRecModel net = model.build(o, new BuildContext(manager, vocabulary, inputs, null, ctx.log()));
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
        vocabulary, t, history, manager, inputs);
    Path metrics = ctx.runDir().resolve("metrics.jsonl");
    Trainer.Builder<NceBatch> tb = Trainer.builder(net, new NceStep(net, news, inputs), batches)
        .optimizer(optimizer).schedule(LrSchedule.linearWarmupDecay(total, t.warmup()))
        .totalSteps(total).accumulation(accumulation).maxGradNorm(t.gradClip()).seed(ctx.seed())
        .listener(new MetricsJsonl(metrics, t.logEvery()))
        .listener(ProgressDisplay.auto(Math.max(1, stepsPerEpoch / 10)));
    Impressions dev = ctx.dev();
    if (t.evalEveryEpoch() && dev != null && dev.labelled()) {
      tb.listener((trainer, e) -> {
        if (e.step() % stepsPerEpoch != 0 || e.step() == e.totalSteps()) return;
        long epoch = e.step() / stepsPerEpoch;
        rec.weightsChanged();
        // From the ranks, as the final dev metrics (one metrics path).
        MetricsResult m = Metrics.evaluate(dev, Prediction.fromScores(dev, rec.score(dev, ctx.log())));
        ctx.log().accept(String.format(Locale.ROOT, "epoch %d: dev %s", epoch, m));
        appendLine(metrics, "{\"step\":" + e.step() + ",\"split\":\"dev\",\"stage\":\"epoch\",\"epoch\":"
            + epoch + ",\"metrics\":" + m.toJson() + "}");
      });
    }
    try (Trainer<NceBatch> trainer = tb.build()) {
      trainer.train();
    }
    rec.weightsChanged();
    return rec;
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
        o.history(), manager, null);
  }

  static void appendLine(Path file, String line) {
    try {
      Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
