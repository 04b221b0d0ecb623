package dev.newsrec.nn.plmnr;

import dev.newsrec.nn.rec.HistoryOptions;
import dev.newsrec.nn.rec.NceTrainingOptions;
import dev.newsrec.nn.rec.NeuralOptions;
import dev.newsrec.nn.rec.OptionChecks;
import dev.newsrec.core.config.ConfigProblems;
import dev.newsrec.core.config.ReadsFolders;

/**
 * PLM-NR (NRMS-BERT): PLM title encoder + additive attention, NRMS user encoder.
 *
 * @param plm "minilm" (bundled all-MiniLM-L6-v2) or a local Hugging Face BERT folder
 * @param plmLayers keep the first N layers of the PLM (0 = all)
 * @param trainableLayers how many top layers train; -1 = all, embeddings included (the papers);
 *     a CPU setting, e.g. 1, freezes the embeddings and the layers below
 * @param cacheFrozen compute the frozen part's outputs once instead of every step (CPU)
 * @param titleTokens tokens per title including [CLS] and [SEP]
 * @param userHeads heads of the user encoder's self-attention (must divide the PLM width)
 * @param queryDim additive attention query size (200)
 * @param dropout dropout in the user encoder
 * @param device cpu or gpu
 * @param history which clicks the user encoder reads (training and scoring alike)
 * @param training the NCE fine-tuning settings
 */
public record PlmNrOptions(String plm, Integer plmLayers, Integer trainableLayers,
    Boolean cacheFrozen, Integer titleTokens, Integer userHeads, Integer queryDim, Double dropout,
    String device, HistoryOptions history, NceTrainingOptions training)
    implements NeuralOptions, ReadsFolders {
  public PlmNrOptions {
    if (plm == null) plm = "minilm";
    if (plmLayers == null) plmLayers = 0;
    if (trainableLayers == null) trainableLayers = -1;
    if (cacheFrozen == null) cacheFrozen = false;
    if (titleTokens == null) titleTokens = 32;
    if (userHeads == null) userHeads = 12;
    if (queryDim == null) queryDim = 200;
    if (dropout == null) dropout = 0.2;
    if (device == null) device = "cpu";
    if (history == null) history = HistoryOptions.defaults();
    if (training == null) training = NceTrainingOptions.defaults();
    ConfigProblems p = new ConfigProblems();
    OptionChecks.common(p, plm, titleTokens, queryDim, dropout, device);
    OptionChecks.plmLayers(p, plmLayers, trainableLayers);
    OptionChecks.cacheFrozen(p, cacheFrozen, trainableLayers);
    p.atLeast("user_heads", userHeads, 1);
    p.throwIfAny();
  }

  @Override
  public void checkFolders(ConfigProblems problems) { OptionChecks.plmFolder(problems, plm); }
}
