package dev.newsrec.nn.ip2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.newsrec.core.UserException;
import dev.newsrec.core.model.RecommenderSpec;
import dev.newsrec.nn.model.NewsInputs;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.PlmBlock;
import dev.newsrec.nn.plm.weights.PretrainedPlm;
import dev.newsrec.nn.rec.BuildContext;
import dev.newsrec.nn.rec.FrozenCache;
import dev.newsrec.nn.rec.NeuralModel;
import dev.newsrec.nn.rec.NeuralSpec;
import dev.newsrec.nn.rec.NewsVectors;
import dev.newsrec.nn.rec.PretrainingStage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * IP2 (entity-guided interest probing): news = (title vector, signature entity), users = a dual
 * tower over both with cross attention, a learnable aggregation, dot-product score; pre-trained
 * with entity-title contrastive learning ({@link ContrastiveStage}, stage "contrastive"), then
 * fine-tuned with NCE by the shared pipeline.
 */
public final class Ip2 implements NeuralModel<Ip2Options> {
  public static final Ip2 MODEL = new Ip2();
  public static final RecommenderSpec<Ip2Options> SPEC = new NeuralSpec<>(MODEL);

  private Ip2() {}

  @Override public String type() { return "ip2"; }

  @Override public Class<Ip2Options> optionsType() { return Ip2Options.class; }

  @Override
  public NewsRecModel build(Ip2Options o, BuildContext c) {
    NDManager manager = c.manager();
    Ip2Tables tables;
    if (c.loading()) {
      tables = Ip2Tables.read(c.savedDir());
    } else if (c.inputs() != null) {
      tables = Ip2Tables.of(c.inputs());
    } else {
      tables = new Ip2Tables(List.of(), List.of(), List.of());
    }
    PretrainedPlm pretrained = PretrainedPlm.load(o.plm(), manager, b -> b.optNumLayers(o.plmLayers()));
    pretrained.close();
    BertModel plm = pretrained.model();
    plm.trainTop(o.trainableLayers());
    int hidden = plm.config().hiddenSize();
    if (o.titleSelfAttention() && hidden % o.titleHeads() != 0) {
      throw new UserException("model.title_heads " + o.titleHeads() + " must divide the PLM width " + hidden);
    }
    TitleEncoder title = new TitleEncoder(plm, o);
    SignatureEntityEncoder entity = new SignatureEntityEncoder(tables, o, c.log());
    Ip2NewsEncoder news = new Ip2NewsEncoder(title, entity);
    DualTowerUserEncoder user = new DualTowerUserEncoder(o.newsDim(), o.userHeads(), o.queryDim(),
        o.crossAttention(), o.aggregation());
    NewsRecModel model = new NewsRecModel(news, user);
    // The PLM is initialised and loaded already; initialise the rest without touching it.
    for (PlmBlock b : title.head()) b.initialize(manager, DataType.FLOAT32, new Shape(1, 1, hidden));
    entity.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
    user.initialize(manager, DataType.FLOAT32, new Shape(1, 1, o.newsDim()));
    if (!c.loading() && o.entityInit().equals(Ip2Options.TRANSE)) transE(entity, c.inputs(), c.log());
    return model;
  }

  /**
   * Starts the entity memory from the corpus's TransE vectors (loaded by the pipeline because
   * {@link #entityVectors} says so); ids without a vector keep their random row and are counted.
   * Returns how many were missing.
   */
  static int transE(SignatureEntityEncoder entity, NewsInputs inputs, Consumer<String> log) {
    List<String> ids = entity.tables().entities();
    NDArray memory = entity.memory().getArray();
    int dim = (int) memory.getShape().get(1);
    float[] values = memory.toFloatArray();
    int missing = 0;
    for (int e = 0; e < ids.size(); e++) {
      float[] v = inputs == null ? null : inputs.entityVector(e);
      if (v == null) {
        missing++;
        continue;
      }
      if (v.length != dim) {
        throw new UserException("model.entity_init transe: entity_embedding.vec has " + v.length
            + "-dimensional vectors, model.entity_dim is " + dim);
      }
      // Table row e + 1: row 0 is the unknown entity; the table holds inputs' ids in order.
      System.arraycopy(v, 0, values, (e + 1) * dim, dim);
    }
    if (!ids.isEmpty() && missing == ids.size()) {
      // As the shared pipeline does without entity_embedding.vec: say so, start at random.
      log.accept(String.format(Locale.ROOT, "ip2: entity_init transe, but none of the %d title entities"
          + " has a TransE vector: the entity memory starts at random", ids.size()));
      return missing;
    }
    PlmBlock.assign(memory, values);
    log.accept(String.format(Locale.ROOT, "ip2: entity memory from TransE: %d of %d entities, %d missing"
        + " (random rows)", ids.size() - missing, ids.size(), missing));
    return missing;
  }

  @Override
  public boolean entityVectors(Ip2Options o) { return o.entityInit().equals(Ip2Options.TRANSE); }

  @Override
  public void save(Ip2Options o, NewsRecModel model, Path dir) {
    ((Ip2NewsEncoder) model.newsEncoder()).entity().tables().write(dir);
  }

  /** With cache_frozen, steps run only the trainable top of the PLM over cached outputs. */
  @Override
  public NewsVectors trainingNews(Ip2Options o, NewsRecModel model, NewsInputs inputs, NDManager manager,
      Consumer<String> log) {
    NewsParts parts = NewsParts.of(o, (Ip2NewsEncoder) model.newsEncoder(), inputs, manager, log);
    return (ps, m, news, training) -> parts.titles(ps, m, news, training)
        .concat(parts.signatures(ps, m, news, training), 1);
  }

  @Override
  public List<PretrainingStage<Ip2Options, ?>> stages() {
    return List.of(new ContrastiveStage());
  }

  /**
   * The frozen layers' outputs of the last (PLM, corpus, frozen layers) asked for: the contrastive
   * stage and fine-tuning read the same frozen layers, so they share one cache instead of
   * computing (and holding) it twice.
   */
  static final class Frozen {
    private static Object plm;
    private static Object inputs;
    private static int layers = -1;
    private static FrozenCache cache;

    private Frozen() {}

    static synchronized FrozenCache get(Object plm, NewsInputs inputs, int layers,
        java.util.function.Supplier<FrozenCache> build) {
      if (plm != Frozen.plm || inputs != Frozen.inputs || layers != Frozen.layers) {
        cache = null; // let the old one go before building the next
        cache = build.get();
        Frozen.plm = plm;
        Frozen.inputs = inputs;
        Frozen.layers = layers;
      }
      return cache;
    }
  }

  /**
   * The two halves of the news encoder over one corpus, as training reads them: the title side
   * through the frozen-layer cache when {@code cache_frozen}, the SEE always live.
   */
  interface NewsParts {
    NDArray titles(ParameterStore ps, NDManager m, int[] news, boolean training);

    NDArray signatures(ParameterStore ps, NDManager m, int[] news, boolean training);

    static NewsParts of(Ip2Options o, Ip2NewsEncoder enc, NewsInputs inputs, NDManager manager,
        Consumer<String> log) {
      FrozenCache cache = null;
      if (o.cacheFrozen()) {
        int frozen = enc.title().plm().config().numHiddenLayers() - o.trainableLayers();
        BertModel plm = enc.title().plm();
        cache = Frozen.get(plm, inputs, frozen,
            () -> FrozenCache.build(plm, inputs.titles(), frozen, manager, o.training().evalBatch(), log));
      }
      FrozenCache c = cache;
      return new NewsParts() {
        @Override
        public NDArray titles(ParameterStore ps, NDManager m, int[] news, boolean training) {
          if (c == null) return enc.titles(ps, m, inputs, news, training);
          NDList h = c.get(m, news);
          return enc.title().encodeFromHidden(ps, h.get(0), h.get(1), c.layers(), training);
        }

        @Override
        public NDArray signatures(ParameterStore ps, NDManager m, int[] news, boolean training) {
          return enc.entity().encode(ps, m, inputs, news, training);
        }
      };
    }
  }
}
