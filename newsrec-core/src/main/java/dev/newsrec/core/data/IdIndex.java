package dev.newsrec.core.data;

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
  // No String per key is kept: on MIND-large's 2.2 million impressions and 1 million users those
  // objects were what the garbage collector copied; a key is rebuilt from the pool when asked for.
  private int size;
  // Keys that are one optional non-digit ASCII prefix and a decimal number below NUMBERED (MIND's
  // N12345 and U123456, impression ids 1, 2, ...) are found by that number in a plain array
  // instead: one read of a table small enough for the core's cache (MIND-large: 130k news ids,
  // 4 MB of hash slots, ~100 ns a lookup, half the reader's time). prefix: the first such key's
  // prefix char (0: none); keys with another prefix use the hash.
  private static final int NUMBERED = 1 << 22;
  private static final int NO_NUMBER = -1;
  private int[] numbered = new int[0]; // number -> id + 1, 0 = absent
  private int prefix = -1; // -1: no numbered key yet
  private int hashed; // keys in the hash slots

  public int size() { return size; }

  public String key(int id) {
    java.util.Objects.checkIndex(id, size);
    return new String(pool, starts[id], starts[id + 1] - starts[id]);
  }

  /** The keys in id order (a read-only view; each get builds the string). */
  public List<String> keys() {
    return new java.util.AbstractList<>() {
      @Override public String get(int i) { return key(i); }

      @Override public int size() { return size; }
    };
  }

  /** The id of key, adding it if new. */
  public int add(String key) {
    int found = find(key, 0, key.length());
    if (found >= 0) return found;
    if (prefix < 0 && !key.isEmpty() && number(key, 0, key.length(), prefixOf(key, 0)) != NO_NUMBER) {
      prefix = prefixOf(key, 0); // the first numbered key fixes the prefix
    }
    int number = number(key, 0, key.length(), prefix);
    if (number == NO_NUMBER && (hashed + 1) * 2 > slots.length / 2) grow();
    int id = size++;
    int at = starts[id];
    int end = at + key.length();
    if (end > pool.length) pool = Arrays.copyOf(pool, Math.max(end, pool.length * 2));
    key.getChars(0, key.length(), pool, at);
    if (id + 2 > starts.length) starts = Arrays.copyOf(starts, starts.length * 2);
    starts[id + 1] = end;
    if (number == NO_NUMBER) {
      hashed++;
      insert(word(key, 0, key.length()), id);
    } else {
      if (number >= numbered.length) {
        numbered = Arrays.copyOf(numbered, Math.min(NUMBERED, Math.max(number + 1, 2 * numbered.length)));
      }
      numbered[number] = id + 1;
    }
    return id;
  }

  public int get(String key) { return find(key, 0, key.length()); }

  /** The id of s[start, end), or -1 when absent. */
  public int find(CharSequence s, int start, int end) {
    int number = number(s, start, end, prefix);
    if (number != NO_NUMBER) return number < numbered.length ? numbered[number] - 1 : -1;
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

  /** A key's prefix as {@link #number} reads it: 0 when it starts with a digit, else its first char. */
  private static int prefixOf(CharSequence s, int start) {
    char c = s.charAt(start);
    return c >= '0' && c <= '9' ? 0 : c;
  }

  /**
   * The number of s[start, end) when it is prefix (0: none) and a decimal number below NUMBERED
   * with no leading zero (N01 and N1 are different keys), else NO_NUMBER.
   */
  private static int number(CharSequence s, int start, int end, int prefix) {
    if (prefix < 0 || start == end || prefixOf(s, start) != prefix) return NO_NUMBER;
    int from = prefix == 0 ? start : start + 1;
    int n = end - from;
    if (n < 1 || n > 7 || (s.charAt(from) == '0' && n > 1)) return NO_NUMBER;
    int v = 0;
    for (int i = from; i < end; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return NO_NUMBER;
      v = v * 10 + (c - '0');
    }
    return v < NUMBERED ? v : NO_NUMBER;
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
