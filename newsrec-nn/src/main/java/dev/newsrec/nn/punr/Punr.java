package dev.newsrec.nn.punr;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.newsrec.core.UserException;
import dev.newsrec.core.model.RecommenderSpec;
import dev.newsrec.nn.model.NewsInputs;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.plm.BertEmbeddings;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.weights.PretrainedPlm;
import dev.newsrec.nn.rec.BuildContext;
import dev.newsrec.nn.rec.FrozenCache;
import dev.newsrec.nn.rec.NeuralModel;
import dev.newsrec.nn.rec.NeuralSpec;
import dev.newsrec.nn.rec.NewsVectors;
import dev.newsrec.nn.rec.PretrainingStage;
import java.util.List;
import java.util.function.Consumer;

/**
 * PUNR (Ma et al., 2023, "Pre-training with User Behavior Modeling for News Recommendation"): one
 * BERT (Siamese) encodes the user document of clicked titles, with a behaviour-segment table, and
 * each candidate title; score = dot product of the pooled vectors. Pre-training stages:
 * {@code decoder_warmup} then {@code behaviour} (masking + generation).
 */
public final class Punr implements NeuralModel<PunrOptions> {
  public static final Punr MODEL = new Punr();
  public static final RecommenderSpec<PunrOptions> SPEC = new NeuralSpec<>(MODEL);

  private Punr() {}

  @Override public String type() { return "punr"; }

  @Override public Class<PunrOptions> optionsType() { return PunrOptions.class; }

  @Override
  public NewsRecModel build(PunrOptions o, BuildContext c) {
    NDManager manager = c.manager();
    PretrainedPlm news = load(o, manager);
    int cls = news.tokenizer().clsId();
    int sep = news.tokenizer().sepId();
    int pad = news.tokenizer().padId();
    news.close();
    PunrEncoder newsEncoder = encoder(o, news.model(), manager);
    PunrEncoder userSide = newsEncoder;
    if (!o.siamese()) {
      // The paper's "separated" ablation: a second copy of the same pre-trained weights.
      PretrainedPlm user = load(o, manager);
      user.close();
      userSide = encoder(o, user.model(), manager);
    }
    PunrUserEncoder user = new PunrUserEncoder(userSide, o.siamese(), cls, sep, pad, o.history().max(),
        o.history().historyPolicy(), o.titleTokens(), o.docTokens());
    return new NewsRecModel(newsEncoder, user);
  }

  private static PretrainedPlm load(PunrOptions o, NDManager manager) {
    // ADDED, as the authors' news_segment_embeddings: token-type and segment terms both, the
    // segment table starting at zero, so the loaded PLM's outputs are unchanged at first.
    return PretrainedPlm.load(o.plm(), manager, b -> b.optNumLayers(o.plmLayers())
        .optSegmentEmbedding(o.segmentRows(), BertEmbeddings.SegmentMode.ADDED));
  }

  private static PunrEncoder encoder(PunrOptions o, BertModel plm, NDManager manager) {
    plm.trainTop(o.trainableLayers());
    if (o.docTokens() > plm.config().maxPositionEmbeddings()) {
      throw new UserException("doc_tokens " + o.docTokens() + " exceeds the PLM's "
          + plm.config().maxPositionEmbeddings() + " position embeddings");
    }
    PunrEncoder e = new PunrEncoder(plm, PunrEncoder.Pooling.of(o.pooling()), o.queryDim());
    if (e.attention() != null) {
      e.attention().initialize(manager, DataType.FLOAT32, new Shape(1, 1, plm.config().hiddenSize()));
    }
    return e;
  }

  /**
   * With cache_frozen, candidate titles run only the trainable top layers over the frozen part's
   * outputs, computed once per title. User documents cannot be cached this way: each is a new
   * sequence whose every token attends to the whole document.
   */
  @Override
  public NewsVectors trainingNews(PunrOptions o, NewsRecModel model, NewsInputs inputs,
      NDManager manager, Consumer<String> log) {
    if (!o.cacheFrozen()) return NewsVectors.encoder(model, inputs);
    PunrEncoder enc = (PunrEncoder) model.newsEncoder();
    BertModel plm = enc.plm();
    int frozen = plm.config().numHiddenLayers() - o.trainableLayers();
    FrozenCache cache = FrozenCache.build(plm, inputs.titles(), frozen, manager, o.training().evalBatch(), log);
    return (ps, m, news, training) -> {
      NDList h = cache.get(m, news);
      return enc.pool(ps, plm.hiddenFrom(ps, h.get(0), h.get(1), cache.layers(), training), h.get(1),
          training);
    };
  }

  @Override
  public List<PretrainingStage<PunrOptions, ?>> stages() {
    return List.of(new DecoderWarmupStage(), new BehaviourStage());
  }
}
