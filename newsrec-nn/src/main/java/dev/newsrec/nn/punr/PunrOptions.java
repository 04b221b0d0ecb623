package dev.newsrec.nn.punr;

import dev.newsrec.core.config.ConfigProblems;
import dev.newsrec.core.config.ReadsFolders;
import dev.newsrec.nn.rec.HistoryOptions;
import dev.newsrec.nn.rec.NceTrainingOptions;
import dev.newsrec.nn.rec.NeuralOptions;
import dev.newsrec.nn.rec.OptionChecks;

/**
 * PUNR (Ma et al., 2023): one BERT encodes the user document (the clicked titles concatenated,
 * with a behaviour-segment embedding) and each candidate title; score = dot product. Defaults are
 * the paper's settings.
 *
 * @param plm "minilm" (bundled all-MiniLM-L6-v2), a local Hugging Face BERT folder, or the
 *     {@code encoder/} folder a behaviour pre-training stage exported
 * @param plmLayers keep the first N layers of the PLM (0 = all)
 * @param trainableLayers how many top layers fine-tune; -1 = all, embeddings included (the paper);
 *     a CPU setting such as 1 freezes the embeddings and the layers below
 * @param cacheFrozen with frozen layers, compute their outputs for every candidate title once
 *     instead of every step (CPU); user documents still run through every layer
 * @param titleTokens tokens per title including [CLS] and [SEP] (paper: 30)
 * @param docTokens tokens of a user document, [CLS] included (paper: 512); the oldest whole
 *     behaviours are dropped first when it is longer
 * @param siamese one BERT for users and news (paper); false = separate user and news encoders
 *     (the paper's ablation)
 * @param pooling how a vector is read from the last hidden states: cls (paper), average or
 *     attention (additive attention)
 * @param queryDim additive attention query size, for pooling: attention (200)
 * @param segmentRows rows of the behaviour-segment table (paper: 50); at least model.history.max
 * @param device cpu or gpu
 * @param history which clicks become the user document (model.history.max: at most 50
 *     behaviours; policy recent, or oldest as the authors' code)
 * @param training NCE fine-tuning; when the section is absent the paper's (AdamW lr 3e-5 for every
 *     parameter, batch 128, 3 epochs, warm-up 0.1, clip 1.0, 4 negatives); a section given is
 *     completed with the shared NCE defaults, so configs write the paper's values out
 */
public record PunrOptions(String plm, Integer plmLayers, Integer trainableLayers,
    Boolean cacheFrozen, Integer titleTokens, Integer docTokens, Boolean siamese, String pooling, Integer queryDim,
    Integer segmentRows, String device, HistoryOptions history, NceTrainingOptions training)
    implements NeuralOptions, ReadsFolders {
  /** The largest document a BERT-style position table allows. */
  static final int MAX_DOC_TOKENS = 512;

  public PunrOptions {
    if (plm == null) plm = "minilm";
    if (plmLayers == null) plmLayers = 0;
    if (trainableLayers == null) trainableLayers = -1;
    if (cacheFrozen == null) cacheFrozen = false;
    if (titleTokens == null) titleTokens = 30;
    if (docTokens == null) docTokens = MAX_DOC_TOKENS;
    if (siamese == null) siamese = true;
    if (pooling == null) pooling = "cls";
    if (queryDim == null) queryDim = 200;
    if (segmentRows == null) segmentRows = 50;
    if (device == null) device = "cpu";
    if (history == null) history = HistoryOptions.defaults();
    if (training == null) training = paperTraining();
    ConfigProblems p = new ConfigProblems();
    OptionChecks.common(p, plm, titleTokens, queryDim, 0.0, device);
    OptionChecks.plmLayers(p, plmLayers, trainableLayers);
    OptionChecks.cacheFrozen(p, cacheFrozen, trainableLayers);
    p.between("doc_tokens", docTokens, 3, MAX_DOC_TOKENS);
    p.oneOf("pooling", pooling, "cls", "average", "attention");
    p.atLeast("segment_rows", segmentRows, 1);
    // Behaviour k of a document gets segment k: every kept behaviour needs a row.
    if (segmentRows >= 1 && segmentRows < history.max()) {
      p.add("segment_rows", "found " + segmentRows + ", allowed >= model.history.max " + history.max()
          + " (one row per behaviour)");
    }
    p.throwIfAny();
  }

  /** PUNR's fine-tuning (Sec. 3.2): AdamW lr 3e-5, batch 128, 3 epochs, warm-up 0.1, clip 1.0. */
  public static NceTrainingOptions paperTraining() {
    return new NceTrainingOptions(4, 128, null, 3, 3e-5, 3e-5, 0.1, 0.01, 1.0, null, null, null);
  }

  /** The options with every default. */
  public static PunrOptions defaults() {
    return new PunrOptions(null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  @Override
  public void checkFolders(ConfigProblems problems) { OptionChecks.plmFolder(problems, plm); }
}
