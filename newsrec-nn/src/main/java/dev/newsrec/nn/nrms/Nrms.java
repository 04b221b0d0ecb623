package dev.newsrec.nn.nrms;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.newsrec.core.UserException;
import dev.newsrec.core.model.RecommenderSpec;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.model.NewsTokens;
import dev.newsrec.nn.model.SelfAttentiveEncoder;
import dev.newsrec.nn.model.TitleVocabulary;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.PlmBlock;
import dev.newsrec.nn.plm.tokenizer.PlmTokenizer;
import dev.newsrec.nn.plm.weights.PretrainedPlm;
import dev.newsrec.nn.rec.BuildContext;
import dev.newsrec.nn.rec.NeuralModel;
import dev.newsrec.nn.rec.NeuralSpec;

/**
 * NRMS (Wu et al., 2019): word embeddings, multi-head self-attention and additive attention for
 * news, the same over clicked news vectors for users. Its word table has a row per token the
 * corpus's titles use (saved with the model), not the PLM's whole vocabulary.
 */
public final class Nrms implements NeuralModel<NrmsOptions> {
  public static final Nrms MODEL = new Nrms();
  public static final RecommenderSpec<NrmsOptions> SPEC = new NeuralSpec<>(MODEL);

  private Nrms() {}

  @Override public String type() { return "nrms"; }

  @Override public Class<NrmsOptions> optionsType() { return NrmsOptions.class; }

  @Override
  public TitleVocabulary vocabulary(NrmsOptions o, NewsTokens tokens, PlmTokenizer tokenizer) {
    return TitleVocabulary.of(tokens, tokenizer);
  }

  @Override
  public NewsRecModel build(NrmsOptions o, BuildContext c) {
    NDManager manager = c.manager();
    TitleVocabulary vocabulary = c.vocabulary();
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
        PlmBlock.assign(news.wordEmbedding().getArray(), rows);
      }
    }
    return model;
  }
}
