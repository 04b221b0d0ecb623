package dev.newsrec.core.metrics;

/**
 * Workspace that orders the candidates of one impression by score, highest first, equal scores in
 * candidate order (a stable sort of primitive indices: no boxing). Not thread safe.
 */
final class ScoreOrder {
  private static final int RUN = 24;

  /** After {@link #sort}: order[k] = candidate at 0-based position k. */
  int[] order = new int[64];
  /** Scores as loaded, indexed by candidate. */
  double[] key = new double[64];
  private int[] tmp = new int[64];

  void ensure(int n) {
    if (order.length < n) {
      int cap = Math.max(n, order.length * 2);
      order = new int[cap];
      tmp = new int[cap];
      key = new double[cap];
    }
  }

  void load(double[] scores, int from, int n) {
    ensure(n);
    for (int j = 0; j < n; j++) {
      double s = scores[from + j];
      if (s != s) throw new IllegalArgumentException("score of candidate " + (j + 1) + " is NaN");
      key[j] = s;
    }
  }

  void load(float[] scores, int from, int n) {
    ensure(n);
    for (int j = 0; j < n; j++) {
      float s = scores[from + j];
      if (s != s) throw new IllegalArgumentException("score of candidate " + (j + 1) + " is NaN");
      key[j] = s;
    }
  }

  /** Sorts the loaded candidates 0..n-1: insertion-sorted runs, then bottom-up merges. */
  void sort(int n) {
    for (int j = 0; j < n; j++) order[j] = j;
    for (int lo = 0; lo < n; lo += RUN) insertionSort(order, lo, Math.min(lo + RUN, n));
    if (n <= RUN) return;
    int[] src = order;
    int[] dst = tmp;
    for (int width = RUN; width < n; width *= 2) {
      for (int lo = 0; lo < n; lo += 2 * width) {
        merge(src, dst, lo, Math.min(lo + width, n), Math.min(lo + 2 * width, n));
      }
      int[] t = src;
      src = dst;
      dst = t;
    }
    if (src != order) System.arraycopy(src, 0, order, 0, n);
  }

  private void insertionSort(int[] a, int lo, int hi) {
    double[] k = key;
    for (int i = lo + 1; i < hi; i++) {
      int x = a[i];
      double kx = k[x];
      int j = i - 1;
      while (j >= lo && k[a[j]] < kx) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = x;
    }
  }

  private void merge(int[] src, int[] dst, int lo, int mid, int hi) {
    double[] k = key;
    int i = lo;
    int j = mid;
    for (int d = lo; d < hi; d++) {
      if (j >= hi || (i < mid && k[src[i]] >= k[src[j]])) {
        dst[d] = src[i++];
      } else {
        dst[d] = src[j++];
      }
    }
  }
}
