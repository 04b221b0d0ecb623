/**
 * Pre-trained language models written on DJL NDArray operations, faithful to Hugging Face BERT.
 *
 * <ul>
 *   <li>Blocks: {@link dev.newsrec.nn.plm.BertModel} (= {@link dev.newsrec.nn.plm.BertEmbeddings}
 *       + {@link dev.newsrec.nn.plm.BertEncoder} of {@link dev.newsrec.nn.plm.BertLayer}s), {@link
 *       dev.newsrec.nn.plm.MlmHead}, {@link dev.newsrec.nn.plm.CausalDecoderBlock}, {@link
 *       dev.newsrec.nn.plm.AdditiveAttention}; all attention goes through {@link
 *       dev.newsrec.nn.plm.MultiHeadAttention}.
 *   <li>Weights: {@link dev.newsrec.nn.plm.HfFolder} (config.json + model.safetensors, load and
 *       save), {@link dev.newsrec.nn.plm.MiniLm} (the bundled all-MiniLM-L6-v2 from its ONNX file).
 *   <li>Tokenizers: {@link dev.newsrec.nn.plm.HfTokenizer} (tokenizer.json), {@link
 *       dev.newsrec.nn.plm.WordPieceTokenizer} (vocab.txt); both give ids, masks and word ids.
 * </ul>
 *
 * <p>Memory: parameters live on the manager passed to {@code initialize}; each forward method
 * returns arrays attached to its first input's manager and closes its own temporaries.
 */
package dev.newsrec.nn.plm;
