package dev.newsrec.nn.ip2;

import dev.newsrec.core.config.ConfigProblems;
import dev.newsrec.core.config.ReadsFolders;
import dev.newsrec.nn.rec.HistoryOptions;
import dev.newsrec.nn.rec.NceTrainingOptions;
import dev.newsrec.nn.rec.NeuralOptions;
import dev.newsrec.nn.rec.OptionChecks;

/**
 * IP2 (entity-guided interest probing): a PLM title encoder and a Signature Entity Encoder (SEE)
 * on the news side, a dual-tower user encoder with cross attention and a learnable aggregation on
 * the user side. Defaults are the paper's settings (Sections 4 and 5.1.2).
 *
 * @param plm "minilm" (bundled all-MiniLM-L6-v2) or a local Hugging Face BERT folder (paper:
 *     bert-base-uncased)
 * @param plmLayers keep the first N layers of the PLM (0 = all; the authors' code keeps 10)
 * @param trainableLayers how many top layers train; -1 = all, embeddings included; k >= 0 freezes
 *     the embeddings and every layer below the top k (the authors' code: 10 layers, 2 trainable)
 * @param cacheFrozen compute the frozen part's outputs once per title instead of every step (CPU)
 * @param titleTokens tokens per title including [CLS] and [SEP] (the paper: titles of at most 20
 *     words)
 * @param titleSelfAttention multi-head self-attention with a residual LayerNorm over the PLM's
 *     token vectors before the additive attention (the paper's Eq. 1-4; false = additive
 *     attention straight on the PLM's output, as the authors' code effectively does)
 * @param titleHeads heads of that self-attention (must divide the PLM width)
 * @param queryDim additive attention query size, in the title encoder and both user towers
 * @param newsDim size of a title vector and of an entity signature (400)
 * @param titleDropout dropout after the title projection, before its LeakyReLU (0.2)
 * @param entityDim entity memory width (100)
 * @param entityMaxNorm every entity memory row the SEE reads is scaled down to at most this L2 norm
 *     (1)
 * @param maxEntities entities of one title the SEE reads, in order of occurrence
 * @param seeCategories also feed the news's category and subcategory to the SEE after the handle
 *     (the authors' code; the paper's Section 4.1.2 feeds the handle and the entities only)
 * @param seeLayers Transformer layers of the SEE (L = 2)
 * @param seeHeads attention heads of the SEE (5; must divide entity_dim)
 * @param seeFfn feed-forward size of the SEE's layers (400)
 * @param seeDropout dropout inside the SEE's layers (0.5)
 * @param entityInit "random" (the paper's default) or "transe": start the entity memory from the
 *     train folder's entity_embedding.vec (Section 5.4); ids without a vector stay random
 * @param userHeads heads of each user tower's attention (20; head size news_dim / user_heads = 20)
 * @param crossAttention true: each tower's queries attend to the other tower's keys and values
 *     (Eq. 13-14); false: self-attention inside each tower (the ablation "w/o Inter")
 * @param aggregation "learned": learnable weighted sums of the two towers' user vectors and of
 *     the candidate's title and entity vectors (Eq. 15-16); "concat": both pairs concatenated
 *     without weights (the ablation "w/o Agg", Section 5.3)
 * @param device cpu or gpu
 * @param history which clicks the user encoder reads (training and scoring alike)
 * @param training the NCE fine-tuning settings (paper: batch 64, 4 negatives, lr 1e-4, PLM lr
 *     1e-5, 10% warm-up, linear decay)
 */
public record Ip2Options(String plm, Integer plmLayers, Integer trainableLayers, Boolean cacheFrozen,
    Integer titleTokens, Boolean titleSelfAttention, Integer titleHeads, Integer queryDim,
    Integer newsDim, Double titleDropout, Integer entityDim, Double entityMaxNorm,
    Integer maxEntities, Boolean seeCategories, Integer seeLayers, Integer seeHeads, Integer seeFfn,
    Double seeDropout, String entityInit, Integer userHeads, Boolean crossAttention,
    String aggregation, String device, HistoryOptions history, NceTrainingOptions training)
    implements NeuralOptions, ReadsFolders {
  public static final String RANDOM = "random";
  public static final String TRANSE = "transe";
  public static final String LEARNED = "learned";
  public static final String CONCAT = "concat";

  public Ip2Options {
    if (plm == null) plm = "minilm";
    if (plmLayers == null) plmLayers = 0;
    if (trainableLayers == null) trainableLayers = -1;
    if (cacheFrozen == null) cacheFrozen = false;
    if (titleTokens == null) titleTokens = 32;
    if (titleSelfAttention == null) titleSelfAttention = true;
    if (titleHeads == null) titleHeads = 12;
    if (queryDim == null) queryDim = 200;
    if (newsDim == null) newsDim = 400;
    if (titleDropout == null) titleDropout = 0.2;
    if (entityDim == null) entityDim = 100;
    if (entityMaxNorm == null) entityMaxNorm = 1.0;
    if (maxEntities == null) maxEntities = 10;
    if (seeCategories == null) seeCategories = false;
    if (seeLayers == null) seeLayers = 2;
    if (seeHeads == null) seeHeads = 5;
    if (seeFfn == null) seeFfn = 400;
    if (seeDropout == null) seeDropout = 0.5;
    if (entityInit == null) entityInit = RANDOM;
    if (userHeads == null) userHeads = 20;
    if (crossAttention == null) crossAttention = true;
    if (aggregation == null) aggregation = LEARNED;
    if (device == null) device = "cpu";
    if (history == null) history = HistoryOptions.defaults();
    if (training == null) training = NceTrainingOptions.defaults();
    ConfigProblems p = new ConfigProblems();
    OptionChecks.common(p, plm, titleTokens, queryDim, null, device);
    OptionChecks.plmLayers(p, plmLayers, trainableLayers);
    OptionChecks.cacheFrozen(p, cacheFrozen, trainableLayers);
    p.atLeast("title_heads", titleHeads, 1);
    p.atLeast("news_dim", newsDim, 1);
    p.fraction("title_dropout", titleDropout);
    p.atLeast("entity_dim", entityDim, 1);
    if (!(entityMaxNorm > 0) || Double.isInfinite(entityMaxNorm)) {
      p.add("entity_max_norm", "found " + entityMaxNorm + ", allowed a finite number > 0");
    }
    p.atLeast("max_entities", maxEntities, 1);
    p.atLeast("see_layers", seeLayers, 1);
    p.atLeast("see_heads", seeHeads, 1);
    if (seeHeads >= 1 && entityDim >= 1 && entityDim % seeHeads != 0) {
      p.add("see_heads", "found " + seeHeads + ", allowed a divisor of entity_dim " + entityDim);
    }
    p.atLeast("see_ffn", seeFfn, 1);
    p.fraction("see_dropout", seeDropout);
    p.oneOf("entity_init", entityInit, RANDOM, TRANSE);
    p.atLeast("user_heads", userHeads, 1);
    if (userHeads >= 1 && newsDim >= 1 && newsDim % userHeads != 0) {
      p.add("user_heads", "found " + userHeads + ", allowed a divisor of news_dim " + newsDim);
    }
    p.oneOf("aggregation", aggregation, LEARNED, CONCAT);
    p.throwIfAny();
  }

  /** The paper's settings everywhere. */
  public static Ip2Options defaults() {
    return new Ip2Options(null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  @Override
  public void checkFolders(ConfigProblems problems) { OptionChecks.plmFolder(problems, plm); }
}
