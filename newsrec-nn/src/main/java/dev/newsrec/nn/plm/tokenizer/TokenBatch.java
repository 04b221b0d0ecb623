package dev.newsrec.nn.plm.tokenizer;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * A padded batch of token sequences: ids, attention mask (1 = token, 0 = padding) and word ids
 * (index of the word a token belongs to within its text; -1 for [CLS], [SEP] and padding), so
 * whole-word masking can find word boundaries. All arrays are [batch][length].
 */
public record TokenBatch(long[][] ids, long[][] mask, long[][] wordIds) {
  public int size() {
    return ids.length;
  }

  public int length() {
    return ids.length == 0 ? 0 : ids[0].length;
  }

  /** [ids, mask] as int64 [B,T] arrays on {@code manager} (the caller owns them). */
  public NDList toNDList(NDManager manager) {
    return new NDList(manager.create(ids), manager.create(mask));
  }
}
