package dev.newsrec.core.sample;

import java.util.Arrays;

/**
 * Which clicked news a model sees when a history is longer than it takes. Most systems keep the
 * most recent ones (our default); PUNR's authors keep the oldest ({@code history[:50]}).
 */
public enum HistoryPolicy {
  RECENT,
  OLDEST;

  /** The kept part of history (oldest first), at most max long; the array itself when it fits. */
  public int[] truncate(int[] history, int max) {
    if (history.length <= max) return history;
    return this == RECENT
        ? Arrays.copyOfRange(history, history.length - max, history.length)
        : Arrays.copyOf(history, max);
  }
}
