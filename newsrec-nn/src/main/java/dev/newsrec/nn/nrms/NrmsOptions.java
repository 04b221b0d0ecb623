package dev.newsrec.nn.nrms;

import dev.newsrec.nn.rec.HistoryOptions;
import dev.newsrec.nn.rec.NceTrainingOptions;
import dev.newsrec.nn.rec.NeuralOptions;
import dev.newsrec.nn.rec.OptionChecks;
import dev.newsrec.core.config.ConfigProblems;
import dev.newsrec.core.config.ReadsFolders;

/**
 * NRMS: word embeddings, multi-head self-attention and additive attention for news; the same for
 * users. Titles use the PLM's WordPiece vocabulary, so unknown words never occur.
 *
 * @param plm whose tokenizer (and, with initFromPlm, embedding table) to use: "minilm" or a folder
 * @param initFromPlm copy the PLM's word embeddings (word_dim must then equal its width)
 * @param wordDim word vector size (NRMS: 300)
 * @param heads self-attention heads in both encoders (NRMS: 16)
 * @param headDim size of a head (NRMS: 16); news and user vectors have heads x head_dim
 * @param queryDim additive attention query size (NRMS: 200)
 * @param dropout on word vectors and attention outputs (NRMS: 0.2)
 * @param titleTokens tokens per title including [CLS] and [SEP]
 * @param device cpu or gpu
 * @param history which clicks the user encoder reads (training and scoring alike)
 * @param training the NCE settings
 */
public record NrmsOptions(String plm, Boolean initFromPlm, Integer wordDim, Integer heads, Integer headDim,
    Integer queryDim, Double dropout, Integer titleTokens, String device,
    HistoryOptions history, NceTrainingOptions training) implements NeuralOptions, ReadsFolders {
  public NrmsOptions {
    if (plm == null) plm = "minilm";
    if (initFromPlm == null) initFromPlm = false;
    if (wordDim == null) wordDim = 300;
    if (heads == null) heads = 16;
    if (headDim == null) headDim = 16;
    if (queryDim == null) queryDim = 200;
    if (dropout == null) dropout = 0.2;
    if (titleTokens == null) titleTokens = 32;
    if (device == null) device = "cpu";
    if (history == null) history = HistoryOptions.defaults();
    if (training == null) training = NceTrainingOptions.defaults();
    ConfigProblems p = new ConfigProblems();
    OptionChecks.common(p, plm, titleTokens, queryDim, dropout, device);
    p.atLeast("word_dim", wordDim, 1);
    p.atLeast("heads", heads, 1);
    p.atLeast("head_dim", headDim, 1);
    p.throwIfAny();
  }

  @Override
  public void checkFolders(ConfigProblems problems) { OptionChecks.plmFolder(problems, plm); }
}
