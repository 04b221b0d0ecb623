package dev.newsrec.nn.plm.tokenizer;

import java.util.Arrays;
import java.util.List;

/**
 * A BERT tokenizer: text to WordPiece ids with word boundaries. Implementations: {@link
 * HfTokenizer} (Hugging Face tokenizer.json via DJL's native tokenizers) and {@link
 * WordPieceTokenizer} (vocab.txt, pure Java). Both produce the same ids for BERT vocabularies.
 */
public interface PlmTokenizer extends AutoCloseable {
  /** Token ids of one text without special tokens, and for each token the index of its word. */
  record Tokens(long[] ids, long[] wordIds) {
    public int size() {
      return ids.length;
    }
  }

  /** How a batch is padded. */
  enum Padding {
    /** To the longest sequence in the batch (at most the max length). */
    LONGEST,
    /** Always to the max length. */
    MAX_LENGTH
  }

  Tokens tokenize(String text);

  int padId();

  int clsId();

  int sepId();

  int maskId();

  int unkId();

  int vocabSize();

  /** The id of a vocabulary entry, or -1. */
  int idOf(String token);

  /**
   * Encodes texts as [CLS] tokens [SEP], truncating the tokens so that each sequence has at most
   * {@code maxLength} entries (the final [SEP] is kept), then pads with [PAD].
   */
  default TokenBatch encode(List<String> texts, int maxLength, Padding padding) {
    if (maxLength < 2) {
      throw new IllegalArgumentException("maxLength must be at least 2, got " + maxLength);
    }
    int n = texts.size();
    long[][] seqIds = new long[n][];
    long[][] seqWords = new long[n][];
    int longest = 0;
    for (int i = 0; i < n; i++) {
      Tokens t = tokenize(texts.get(i));
      int keep = Math.min(t.size(), maxLength - 2);
      long[] ids = new long[keep + 2];
      long[] words = new long[keep + 2];
      ids[0] = clsId();
      words[0] = -1;
      System.arraycopy(t.ids(), 0, ids, 1, keep);
      System.arraycopy(t.wordIds(), 0, words, 1, keep);
      ids[keep + 1] = sepId();
      words[keep + 1] = -1;
      seqIds[i] = ids;
      seqWords[i] = words;
      longest = Math.max(longest, ids.length);
    }
    int length = padding == Padding.MAX_LENGTH ? maxLength : longest;
    long[][] ids = new long[n][length];
    long[][] mask = new long[n][length];
    long[][] words = new long[n][length];
    for (int i = 0; i < n; i++) {
      Arrays.fill(ids[i], padId());
      Arrays.fill(words[i], -1);
      System.arraycopy(seqIds[i], 0, ids[i], 0, seqIds[i].length);
      System.arraycopy(seqWords[i], 0, words[i], 0, seqWords[i].length);
      Arrays.fill(mask[i], 0, seqIds[i].length, 1);
    }
    return new TokenBatch(ids, mask, words);
  }

  @Override
  void close();
}
