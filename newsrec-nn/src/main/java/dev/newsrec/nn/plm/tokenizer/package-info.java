/**
 * BERT tokenizers: {@link dev.newsrec.nn.plm.tokenizer.PlmTokenizer} with {@link
 * dev.newsrec.nn.plm.tokenizer.HfTokenizer} (tokenizer.json, DJL's native tokenizers) and {@link
 * dev.newsrec.nn.plm.tokenizer.WordPieceTokenizer} (vocab.txt, pure Java); both give a {@link
 * dev.newsrec.nn.plm.tokenizer.TokenBatch} of ids, masks and word ids.
 */
package dev.newsrec.nn.plm.tokenizer;
