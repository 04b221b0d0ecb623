package dev.newsrec.core.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Dense ids (0..size-1) for string keys, looked up straight from a char range of a line so the
 * behaviours reader creates no strings per news id (2.2 million lines x ~70 ids each).
 */
public final class IdIndex {
  private String[] table = new String[1024];
  private int[] ids = new int[1024];
  private int[] hashes = new int[1024];
  private final List<String> keys = new ArrayList<>();

  public int size() { return keys.size(); }

  public String key(int id) { return keys.get(id); }

  public List<String> keys() { return java.util.Collections.unmodifiableList(keys); }

  /** The id of key, adding it if new. */
  public int add(String key) {
    int found = find(key, 0, key.length());
    if (found >= 0) return found;
    if ((keys.size() + 1) * 2 > table.length) grow();
    int id = keys.size();
    keys.add(key);
    insert(key, id);
    return id;
  }

  public int get(String key) { return find(key, 0, key.length()); }

  /** The id of s[start, end), or -1 when absent. */
  public int find(CharSequence s, int start, int end) {
    int mask = table.length - 1;
    int h = hash(s, start, end);
    int slot = h & mask;
    while (true) {
      String k = table[slot];
      if (k == null) return -1;
      if (hashes[slot] == h && equal(k, s, start, end)) return ids[slot];
      slot = (slot + 1) & mask;
    }
  }

  private static boolean equal(String k, CharSequence s, int start, int end) {
    int n = end - start;
    if (k.length() != n) return false;
    for (int i = 0; i < n; i++) if (k.charAt(i) != s.charAt(start + i)) return false;
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

  private void insert(String key, int id) {
    int mask = table.length - 1;
    int h = hash(key, 0, key.length());
    int slot = h & mask;
    while (table[slot] != null) slot = (slot + 1) & mask;
    table[slot] = key;
    ids[slot] = id;
    hashes[slot] = h;
  }

  private void grow() {
    table = new String[table.length * 2];
    ids = new int[ids.length * 2];
    hashes = new int[hashes.length * 2];
    for (int i = 0; i < keys.size(); i++) insert(keys.get(i), i);
  }
}
