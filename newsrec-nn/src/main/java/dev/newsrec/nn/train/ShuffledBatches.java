package dev.newsrec.nn.train;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Batches of a fixed size from an in-memory list, reshuffled every epoch with a permutation that
 * depends only on (seed, epoch), so the position is just (epoch, offset). The last incomplete batch
 * of an epoch is dropped when {@code dropLast}, otherwise returned short.
 */
public final class ShuffledBatches<T> implements BatchSource<List<T>> {
  private final List<T> items;
  private final int batchSize;
  private final long seed;
  private final boolean dropLast;
  private long epoch;
  private int offset;
  private int[] order;

  public ShuffledBatches(List<T> items, int batchSize, long seed, boolean dropLast) {
    if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive: " + batchSize);
    if (items.isEmpty() || (dropLast && items.size() < batchSize)) {
      throw new IllegalArgumentException(
          "need at least " + (dropLast ? batchSize : 1) + " items for batches of " + batchSize + ", got " + items.size());
    }
    this.items = List.copyOf(items);
    this.batchSize = batchSize;
    this.seed = seed;
    this.dropLast = dropLast;
    this.order = permutation(0);
  }

  private int[] permutation(long ep) {
    List<Integer> idx = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) idx.add(i);
    Collections.shuffle(idx, new java.util.Random(TrainRandom.derive(seed, ep)));
    return idx.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Batches per epoch. */
  public int batchesPerEpoch() {
    return dropLast ? items.size() / batchSize : (items.size() + batchSize - 1) / batchSize;
  }

  public long epoch() {
    return epoch;
  }

  @Override
  public List<T> next() {
    int remaining = items.size() - offset;
    if (remaining == 0 || (dropLast && remaining < batchSize)) {
      epoch++;
      offset = 0;
      order = permutation(epoch);
    }
    int end = Math.min(items.size(), offset + batchSize);
    List<T> batch = new ArrayList<>(end - offset);
    for (int i = offset; i < end; i++) batch.add(items.get(order[i]));
    offset = end;
    return batch;
  }

  @Override
  public byte[] saveState() {
    return ByteBuffer.allocate(12).putLong(epoch).putInt(offset).array();
  }

  @Override
  public void restoreState(byte[] state) {
    if (state.length != 12) throw new IllegalArgumentException("not a ShuffledBatches state");
    ByteBuffer b = ByteBuffer.wrap(state);
    long ep = b.getLong();
    int off = b.getInt();
    if (ep < 0 || off < 0 || off > items.size()) throw new IllegalArgumentException("bad position " + ep + "/" + off);
    epoch = ep;
    offset = off;
    order = permutation(ep);
  }
}
