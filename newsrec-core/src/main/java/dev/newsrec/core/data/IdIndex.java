package dev.newsrec.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Dense ids (0..size-1) for string keys, looked up straight from a char range of a line so the
 * behaviours reader creates no strings per news id (2.2 million lines x ~70 ids each).
 */
public final class IdIndex {
  // Open addressing over (key word, id + 1) pairs side by side, word 0 = empty. A key of at most 7
  // ASCII chars (MIND's N12345, U123456) is its own word: chars and length packed in a long, so a
  // lookup is one probe of one cache line, with no second read to compare the key. A longer key's
  // word is its hash with the top bit set, and its chars are compared in the pool. (The behaviours
  // reader does ~130 million lookups on MIND-large; memory reads were most of its time.)
  private long[] slots = new long[2 * 1024];
  private char[] pool = new char[1 << 14];
  private int[] starts = new int[1025];
  private final List<String> keys = new ArrayList<>();

  public int size() { return keys.size(); }

  public String key(int id) { return keys.get(id); }

  public List<String> keys() { return java.util.Collections.unmodifiableList(keys); }

  /** The id of key, adding it if new. */
  public int add(String key) {
    int found = find(key, 0, key.length());
    if (found >= 0) return found;
    if ((keys.size() + 1) * 2 > slots.length / 2) grow();
    int id = keys.size();
    keys.add(key);
    int at = starts[id];
    int end = at + key.length();
    if (end > pool.length) pool = Arrays.copyOf(pool, Math.max(end, pool.length * 2));
    key.getChars(0, key.length(), pool, at);
    if (id + 2 > starts.length) starts = Arrays.copyOf(starts, starts.length * 2);
    starts[id + 1] = end;
    insert(word(key, 0, key.length()), id);
    return id;
  }

  public int get(String key) { return find(key, 0, key.length()); }

  /** The id of s[start, end), or -1 when absent. */
  public int find(CharSequence s, int start, int end) {
    long w = word(s, start, end);
    long[] t = slots;
    int mask = (t.length >> 1) - 1;
    int slot = slotHash(w) & mask;
    while (true) {
      long k = t[2 * slot];
      if (k == 0) return -1;
      if (k == w && (w > 0 || equal((int) t[2 * slot + 1] - 1, s, start, end))) {
        return (int) t[2 * slot + 1] - 1;
      }
      slot = (slot + 1) & mask;
    }
  }

  /**
   * A short ASCII key packed (chars in the low 7 bytes, length + 1 in the top byte: positive,
   * never 0), else Long.MIN_VALUE | its 32-bit hash (negative).
   */
  private static long word(CharSequence s, int start, int end) {
    int n = end - start;
    if (n <= 7) {
      long w = (long) (n + 1) << 56;
      boolean ascii = true;
      for (int i = 0; i < n; i++) {
        char c = s.charAt(start + i);
        ascii &= c < 128;
        w |= (long) (c & 0x7f) << (8 * i);
      }
      if (ascii) return w;
    }
    return Long.MIN_VALUE | (hash(s, start, end) & 0xffffffffL);
  }

  /** The probe start of a word: a long key's word holds its hash, a short one is mixed. */
  private static int slotHash(long w) {
    if (w < 0) return (int) w;
    long h = w * 0x9E3779B97F4A7C15L;
    return (int) (h >>> 32) ^ (int) h;
  }

  private boolean equal(int id, CharSequence s, int start, int end) {
    int from = starts[id];
    int n = end - start;
    if (starts[id + 1] - from != n) return false;
    char[] p = pool;
    for (int i = 0; i < n; i++) if (p[from + i] != s.charAt(start + i)) return false;
    return true;
  }

  /** Polynomial hash, then a full avalanche (murmur3's finaliser): ids like N1, N2, ... differ
   * in one character, and without mixing they land in neighbouring slots and probe long runs. */
  private static int hash(CharSequence s, int start, int end) {
    int h = 0;
    for (int i = start; i < end; i++) h = 31 * h + s.charAt(i);
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    return h ^ (h >>> 16);
  }

  private void insert(long w, int id) {
    long[] t = slots;
    int mask = (t.length >> 1) - 1;
    int slot = slotHash(w) & mask;
    while (t[2 * slot] != 0) slot = (slot + 1) & mask;
    t[2 * slot] = w;
    t[2 * slot + 1] = id + 1;
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    for (int s = 0; s < old.length; s += 2) if (old[s] != 0) insert(old[s], (int) old[s + 1] - 1);
  }
}
