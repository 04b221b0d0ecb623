/**
 * PUNR (Ma et al., 2023, "Pre-training with User Behavior Modeling for News Recommendation").
 *
 * <p>Model ({@link dev.newsrec.nn.punr.Punr}, options {@link dev.newsrec.nn.punr.PunrOptions},
 * {@code model.type: punr}): one BERT, Siamese by default, encodes the user document and each
 * candidate title; the score is the dot product of the pooled vectors (cls, average or
 * attention). The BERT carries a behaviour-segment table (50 rows) added, like the authors'
 * {@code news_segment_embeddings}, to the word, position and token-type terms before the
 * embedding LayerNorm; it starts at zero, so a loaded PLM's outputs are unchanged until it trains.
 *
 * <p>User document ({@link dev.newsrec.nn.punr.UserDocuments}): {@code [CLS] t1 [SEP] t2 [SEP]
 * ...}, the clicked titles oldest first, each title's own [CLS] dropped. At most {@code
 * model.history.max} behaviours (policy {@code recent}, the default, keeps the most recent;
 * {@code oldest} keeps the first ones, as the authors' {@code history[:50]}), each title at most
 * {@code title_tokens}, the document at most {@code doc_tokens}, dropping the oldest whole
 * behaviours first. Segments as in the authors' {@code pretrain/data.py}: the k-th kept title
 * (counting from 0) and its trailing [SEP] get segment k; [CLS] gets segment 0 with the first
 * title. A candidate title uses segment 0 everywhere: it reads like a one-behaviour document.
 * An empty history is the placeholder {@code [CLS] [SEP]}.
 *
 * <p>Pre-training stages (a config's {@code pretraining:} list, run in order before
 * fine-tuning):
 * <ul>
 *   <li>{@code decoder_warmup} ({@link dev.newsrec.nn.punr.DecoderWarmupStage}): the one-layer
 *       GPT-2 style generation decoder and the MLM head train alone, the encoder frozen, on a text
 *       file (one document per line, split and packed to {@code doc_tokens}) or, by default, the
 *       run's titles and abstracts; saves them in the stage folder's {@code heads.params}.
 *   <li>{@code behaviour} ({@link dev.newsrec.nn.punr.BehaviourStage}): user-behaviour masking
 *       (whole-word, ratio alpha, share beta on whole titles, 80/10/10) and generation (the decoder
 *       reads [user vector of the masked pass, embeddings of tokens 1..n-1] and predicts tokens
 *       1..n of the unmasked document through the shared MLM head); loss = mlm_weight x L_mlm +
 *       decoder_weight x L_dec. Starts the decoder from an earlier warm-up when there is one.
 *       Exports the encoder as a Hugging Face BERT folder in {@code encoder/} (usable as
 *       {@code plm:} of a later run; the segment table travels with it).
 * </ul>
 * Both log {@code mlm_loss}, {@code mlm_accuracy}, {@code dec_loss}, {@code dec_accuracy} per
 * step in the stage folder's {@code metrics.jsonl}, checkpoint the model with the heads, and
 * resume exactly.
 */
package dev.newsrec.nn.punr;
