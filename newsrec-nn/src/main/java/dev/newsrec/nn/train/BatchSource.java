package dev.newsrec.nn.train;

/**
 * Where the trainer takes its batches from, one per micro-batch. A source never runs dry (it
 * starts a new epoch itself); its position is an opaque state that a checkpoint stores and
 * {@link #restoreState} takes back, after which {@link #next()} returns exactly the batches that
 * would have followed.
 *
 * <p>Batches are plain Java values (token ids, labels); the {@link StepFunction} turns them into
 * arrays on the step's manager.
 *
 * @param <B> the batch type
 */
public interface BatchSource<B> {
  B next();

  /** The position, e.g. epoch, index and shuffle seed, as bytes. */
  byte[] saveState();

  void restoreState(byte[] state);
}
