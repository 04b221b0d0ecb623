package dev.newsrec.nn.plmnr;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.newsrec.core.UserException;
import dev.newsrec.core.model.RecommenderSpec;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.model.NewsInputs;
import dev.newsrec.nn.model.PlmNewsEncoder;
import dev.newsrec.nn.model.SelfAttentiveEncoder;
import dev.newsrec.nn.model.TitleVocabulary;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.weights.PretrainedPlm;
import dev.newsrec.nn.rec.FrozenCache;
import dev.newsrec.nn.rec.BuildContext;
import dev.newsrec.nn.rec.NeuralModel;
import dev.newsrec.nn.rec.NeuralSpec;
import dev.newsrec.nn.rec.NewsVectors;
import java.util.function.Consumer;

/**
 * PLM-NR (NRMS-BERT, Wu et al., 2021): a PLM over the title with additive attention pooling as
 * the news encoder, NRMS's self-attentive user encoder over clicked news vectors. On a CPU the
 * lower PLM layers can stay frozen, their outputs computed once per title ({@code cache_frozen}).
 */
public final class PlmNr implements NeuralModel<PlmNrOptions> {
  public static final PlmNr MODEL = new PlmNr();
  public static final RecommenderSpec<PlmNrOptions> SPEC = new NeuralSpec<>(MODEL);

  private PlmNr() {}

  @Override public String type() { return "plmnr"; }

  @Override public Class<PlmNrOptions> optionsType() { return PlmNrOptions.class; }

  /** The model for a set of options, with the PLM's pre-trained weights. */
  @Override
  public NewsRecModel build(PlmNrOptions o, BuildContext c) {
    NDManager manager = c.manager();
    PretrainedPlm pretrained = PretrainedPlm.load(o.plm(), manager, b -> b.optNumLayers(o.plmLayers()));
    pretrained.close();
    BertModel plm = pretrained.model();
    plm.trainTop(o.trainableLayers());
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

  /** With cache_frozen, steps run only the trainable top layers over the frozen part's cached outputs. */
  @Override
  public NewsVectors trainingNews(PlmNrOptions o, NewsRecModel model, NewsInputs inputs,
      NDManager manager, Consumer<String> log) {
    if (!o.cacheFrozen()) return NewsVectors.encoder(model, inputs);
    PlmNewsEncoder enc = (PlmNewsEncoder) model.newsEncoder();
    int frozen = enc.plm().config().numHiddenLayers() - o.trainableLayers();
    FrozenCache cache = FrozenCache.build(enc.plm(), inputs.titles(), frozen, manager, o.training().evalBatch(), log);
    return (ps, m, news, training) -> {
      NDList h = cache.get(m, news);
      return enc.encodeFromHidden(ps, h.get(0), h.get(1), cache.layers(), training);
    };
  }
}
