package dev.newsrec.core.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Dense ids (0..size-1) for string keys, looked up straight from a char range of a line so the
 * behaviours reader creates no strings per news id (2.2 million lines x ~70 ids each).
 */
public final class IdIndex {
  // Open addressing over (hash, id + 1) pairs side by side, 0 = empty, and the keys' chars in one
  // pool: a lookup touches the pair, the key's start and its chars, not a String and its array
  // (the behaviours reader does ~150 million lookups on MIND-large; cache misses were its time).
  private int[] slots = new int[2 * 1024];
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
    if (end > pool.length) pool = java.util.Arrays.copyOf(pool, Math.max(end, pool.length * 2));
    key.getChars(0, key.length(), pool, at);
    if (id + 2 > starts.length) starts = java.util.Arrays.copyOf(starts, starts.length * 2);
    starts[id + 1] = end;
    insert(hash(key, 0, key.length()), id);
    return id;
  }

  public int get(String key) { return find(key, 0, key.length()); }

  /** The id of s[start, end), or -1 when absent. */
  public int find(CharSequence s, int start, int end) {
    int[] t = slots;
    int mask = (t.length >> 1) - 1;
    int h = hash(s, start, end);
    int slot = h & mask;
    while (true) {
      int id = t[2 * slot + 1] - 1;
      if (id < 0) return -1;
      if (t[2 * slot] == h && equal(id, s, start, end)) return id;
      slot = (slot + 1) & mask;
    }
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

  private void insert(int h, int id) {
    int mask = (slots.length >> 1) - 1;
    int slot = h & mask;
    while (slots[2 * slot + 1] != 0) slot = (slot + 1) & mask;
    slots[2 * slot] = h;
    slots[2 * slot + 1] = id + 1;
  }

  private void grow() {
    slots = new int[slots.length * 2];
    for (int i = 0; i < keys.size(); i++) insert(hash(keys.get(i), 0, keys.get(i).length()), i);
  }
}
