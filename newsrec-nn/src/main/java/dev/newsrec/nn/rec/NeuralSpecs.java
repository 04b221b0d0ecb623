package dev.newsrec.nn.rec;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.newsrec.core.UserException;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.metrics.Metrics;
import dev.newsrec.core.metrics.MetricsResult;
import dev.newsrec.core.metrics.Prediction;
import dev.newsrec.core.model.Recommender;
import dev.newsrec.core.model.RecommenderSpec;
import dev.newsrec.core.model.TrainContext;
import dev.newsrec.core.sample.NceSampler;
import dev.newsrec.nn.Engines;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.model.NewsTokens;
import dev.newsrec.nn.model.NrmsNewsEncoder;
import dev.newsrec.nn.model.PlmNewsEncoder;
import dev.newsrec.nn.model.SelfAttentiveEncoder;
import dev.newsrec.nn.model.TitleVocabulary;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.PlmTokenizer;
import dev.newsrec.nn.plm.PretrainedPlm;
import dev.newsrec.nn.train.AdamW;
import dev.newsrec.nn.train.LrSchedule;
import dev.newsrec.nn.train.MetricsJsonl;
import dev.newsrec.nn.train.ParamGroup;
import dev.newsrec.nn.train.ProgressDisplay;
import dev.newsrec.nn.train.Trainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/** The neural models a config can name: {@code plmnr} (PLM-NR / NRMS-BERT) and {@code nrms}. */
public final class NeuralSpecs {
  private NeuralSpecs() {}

  /**
   * Builds the model for a set of options (weights: PLM's where it has one, else initial);
   * vocabulary is NRMS's word list (null for PLM-NR, which reads the PLM's whole vocabulary).
   */
  private interface Builder<O> {
    NewsRecModel build(O options, NDManager manager, TitleVocabulary vocabulary);
  }

  public static final RecommenderSpec<PlmNrOptions> PLMNR = new Spec<>("plmnr", PlmNrOptions.class,
      NeuralSpecs::buildPlmNr, PlmNrOptions::plm, PlmNrOptions::titleTokens, PlmNrOptions::training,
      PlmNrOptions::device);

  public static final RecommenderSpec<NrmsOptions> NRMS = new Spec<>("nrms", NrmsOptions.class,
      NeuralSpecs::buildNrms, NrmsOptions::plm, NrmsOptions::titleTokens, NrmsOptions::training,
      NrmsOptions::device);

  public static NewsRecModel buildPlmNr(PlmNrOptions o, NDManager manager, TitleVocabulary vocabulary) {
    PretrainedPlm pretrained = PretrainedPlm.load(o.plm(), manager, b -> b.optNumLayers(o.plmLayers()));
    pretrained.close();
    BertModel plm = pretrained.model();
    int layers = plm.config().numHiddenLayers();
    if (o.trainableLayers() >= 0) {
      if (o.trainableLayers() > layers) {
        throw new UserException("trainable_layers " + o.trainableLayers() + " > the PLM's " + layers + " layers");
      }
      plm.freeze(true, layers - o.trainableLayers());
    }
    int dim = plm.config().hiddenSize();
    if (dim % o.userHeads() != 0) {
      throw new UserException("user_heads " + o.userHeads() + " must divide the PLM width " + dim);
    }
    PlmNewsEncoder news = new PlmNewsEncoder(plm, o.queryDim());
    SelfAttentiveEncoder user = new SelfAttentiveEncoder(dim, o.userHeads(), dim / o.userHeads(),
        o.queryDim(), o.dropout().floatValue());
    NewsRecModel model = new NewsRecModel(news, user);
    // The PLM is initialised and loaded already; initialise the rest without touching it.
    news.pooling().initialize(manager, DataType.FLOAT32, new Shape(1, 1, dim));
    user.initialize(manager, DataType.FLOAT32, new Shape(1, 1, dim));
    return model;
  }

  public static NewsRecModel buildNrms(NrmsOptions o, NDManager manager, TitleVocabulary vocabulary) {
    NrmsNewsEncoder news = new NrmsNewsEncoder(vocabulary.size(), o.wordDim(), o.heads(),
        o.headDim(), o.queryDim(), o.dropout().floatValue());
    SelfAttentiveEncoder user = new SelfAttentiveEncoder(news.dim(), o.heads(), o.headDim(),
        o.queryDim(), o.dropout().floatValue());
    NewsRecModel model = new NewsRecModel(news, user);
    model.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
    if (o.initFromPlm()) {
      try (NDManager tmp = manager.newSubManager()) {
        PretrainedPlm pretrained = PretrainedPlm.load(o.plm(), tmp, b -> b.optNumLayers(1));
        pretrained.close();
        BertModel plm = pretrained.model();
        var table = plm.embeddings().wordEmbedding().getArray();
        if (table.getShape().get(1) != o.wordDim()) {
          throw new UserException("init_from_plm: word_dim " + o.wordDim()
              + " must equal the PLM width " + table.getShape().get(1));
        }
        float[] all = table.toFloatArray();
        int d = o.wordDim();
        float[] rows = new float[vocabulary.size() * d];
        for (int i = 0; i < vocabulary.size(); i++) {
          System.arraycopy(all, vocabulary.originalId(i) * d, rows, i * d, d);
        }
        dev.newsrec.nn.plm.PlmBlock.assign(news.wordEmbedding().getArray(), rows);
      }
    }
    return model;
  }

  private static final class Spec<O> implements RecommenderSpec<O> {
    private final String type;
    private final Class<O> optionsType;
    private final Builder<O> builder;
    private final java.util.function.Function<O, String> plm;
    private final java.util.function.Function<O, Integer> titleTokens;
    private final java.util.function.Function<O, NceTrainingOptions> training;
    private final java.util.function.Function<O, String> device;

    Spec(String type, Class<O> optionsType, Builder<O> builder,
        java.util.function.Function<O, String> plm, java.util.function.Function<O, Integer> titleTokens,
        java.util.function.Function<O, NceTrainingOptions> training,
        java.util.function.Function<O, String> device) {
      this.type = type;
      this.optionsType = optionsType;
      this.builder = builder;
      this.plm = plm;
      this.titleTokens = titleTokens;
      this.training = training;
      this.device = device;
    }

    @Override public String type() { return type; }

    @Override public Class<O> optionsType() { return optionsType; }

    @Override
    public Recommender train(O o, TrainContext ctx) {
      Engines.prepare();
      NceTrainingOptions t = training.apply(o);
      NDManager manager = NDManager.newBaseManager(Engines.device(device.apply(o)));
      PlmTokenizer tokenizer = PretrainedPlm.tokenizer(plm.apply(o));
      long t0 = System.nanoTime();
      NewsTokens tokens = NewsTokens.of(ctx.train().corpus(), tokenizer, titleTokens.apply(o));
      TitleVocabulary vocabulary = null;
      if (o instanceof NrmsOptions) {
        vocabulary = TitleVocabulary.of(tokens, tokenizer);
        tokens = vocabulary.apply(tokens);
      }
      ctx.log().accept(String.format(Locale.ROOT, "tokenised %d titles in %.1f s%s", tokens.size(),
          (System.nanoTime() - t0) / 1e9, vocabulary == null ? ""
              : " (" + vocabulary.size() + " distinct tokens: the word table's rows)"));
      // Initial weights come from the engine's generator: seed it, or the same seed gives another run.
      Engines.seed(dev.newsrec.nn.train.TrainRandom.derive(ctx.seed(), -3));
      NewsRecModel model = builder.build(o, manager, vocabulary);
      FrozenCache cache = null;
      if (o instanceof PlmNrOptions p && p.cacheFrozen()) {
        PlmNewsEncoder enc = (PlmNewsEncoder) model.newsEncoder();
        int frozen = enc.plm().config().numHiddenLayers() - p.trainableLayers();
        cache = FrozenCache.build(enc, tokens, frozen, manager, t.evalBatch(), ctx.log());
      }
      NceSampler sampler = new NceSampler(ctx.train(), t.negatives(), ctx.seed());
      NceBatches batches = new NceBatches(ctx.train(), sampler, t.microBatch(), t.maxHistory(), t.policy());
      int accumulation = t.batchSize() / t.microBatch();
      long stepsPerEpoch = Math.max(1, batches.batchesPerEpoch() / accumulation);
      long total = stepsPerEpoch * t.epochs();
      ctx.log().accept(String.format(Locale.ROOT,
          "%s: %d samples/epoch (%d impressions without a negative skipped), %d steps/epoch x %d epochs, batch %d (micro %d)",
          type, sampler.samplesPerEpoch(), sampler.skippedImpressions(), stepsPerEpoch, t.epochs(),
          t.batchSize(), t.microBatch()));
      AdamW optimizer = AdamW.builder().learningRate(t.learningRate()).weightDecay(t.weightDecay())
          .group(ParamGroup.matching("plm", "plm", t.plmLearningRate(), t.weightDecay()))
          .build(model);
      NeuralRecommender rec = new NeuralRecommender(type, model, tokenizer, titleTokens.apply(o),
          vocabulary, t, manager, ctx.train().corpus(), tokens);
      Path metrics = ctx.runDir().resolve("metrics.jsonl");
      Trainer.Builder<NceBatch> tb = Trainer.builder(model, new NceStep(model, tokens, cache), batches)
          .optimizer(optimizer).schedule(LrSchedule.linearWarmupDecay(total, t.warmup()))
          .totalSteps(total).accumulation(accumulation).maxGradNorm(t.gradClip()).seed(ctx.seed())
          .listener(new MetricsJsonl(metrics, t.logEvery()))
          .listener(ProgressDisplay.auto(Math.max(1, stepsPerEpoch / 10)));
      Impressions dev = ctx.dev();
      if (t.evalEveryEpoch() && dev != null && dev.labelled()) {
        tb.listener((trainer, e) -> {
          if (e.step() % stepsPerEpoch != 0 || e.step() == e.totalSteps()) return;
          long epoch = e.step() / stepsPerEpoch;
          // from ranks, as the final metrics and evaluate score the written prediction.txt
          MetricsResult m = Metrics.evaluate(dev, Prediction.fromScores(dev, rec.score(dev, ctx.log())));
          ctx.log().accept(String.format(Locale.ROOT, "epoch %d: dev %s", epoch, m));
          appendLine(metrics, "{\"step\":" + e.step() + ",\"split\":\"dev\",\"stage\":\"epoch\",\"epoch\":"
              + epoch + ",\"metrics\":" + m.toJson() + "}");
        });
      }
      try (Trainer<NceBatch> trainer = tb.build()) {
        trainer.train();
      }
      return rec;
    }

    @Override
    public Recommender load(O o, Path dir) {
      Engines.prepare();
      NDManager manager = NDManager.newBaseManager(Engines.device(device.apply(o)));
      PlmTokenizer tokenizer = PretrainedPlm.tokenizer(plm.apply(o));
      Path vocab = dir.resolve(TitleVocabulary.FILE);
      TitleVocabulary vocabulary = Files.isRegularFile(vocab) ? TitleVocabulary.read(vocab, tokenizer) : null;
      NewsRecModel model = builder.build(o, manager, vocabulary);
      NeuralRecommender.loadWeights(model, dir);
      return new NeuralRecommender(type, model, tokenizer, titleTokens.apply(o), vocabulary,
          training.apply(o), manager, null, null);
    }
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
