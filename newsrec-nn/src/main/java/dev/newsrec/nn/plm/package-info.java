/**
 * Pre-trained language model blocks written on DJL NDArray operations, faithful to Hugging Face
 * BERT: {@link dev.newsrec.nn.plm.BertModel} (= {@link dev.newsrec.nn.plm.BertEmbeddings} + {@link
 * dev.newsrec.nn.plm.BertEncoder} of {@link dev.newsrec.nn.plm.BertLayer}s, shaped by {@link
 * dev.newsrec.nn.plm.BertConfig}), {@link dev.newsrec.nn.plm.MlmHead}, {@link
 * dev.newsrec.nn.plm.CausalDecoderBlock}, {@link dev.newsrec.nn.plm.AdditiveAttention}, on {@link
 * dev.newsrec.nn.plm.Dense}, {@link dev.newsrec.nn.plm.Norm} and {@link
 * dev.newsrec.nn.plm.PlmBlock}; all attention goes through {@link
 * dev.newsrec.nn.plm.MultiHeadAttention}. Weight files and loading are in {@link
 * dev.newsrec.nn.plm.weights}, tokenizers in {@link dev.newsrec.nn.plm.tokenizer}.
 *
 * <p>Memory: parameters live on the manager passed to {@code initialize}; each forward method
 * returns arrays attached to its first input's manager and closes its own temporaries.
 */
package dev.newsrec.nn.plm;
