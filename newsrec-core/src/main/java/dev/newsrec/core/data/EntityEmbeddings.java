package dev.newsrec.core.data;

import java.util.Arrays;

/** Entity (or relation) vectors by WikidataId, from MIND's TransE *.vec files; row-major floats. */
public final class EntityEmbeddings {
  private final IdIndex ids;
  private final float[] values;
  private final int dim;

  public EntityEmbeddings(IdIndex ids, float[] values, int dim) {
    if (values.length != ids.size() * dim) {
      throw new IllegalArgumentException("expected " + ids.size() * dim + " values, got " + values.length);
    }
    this.ids = ids;
    this.values = values;
    this.dim = dim;
  }

  public int size() { return ids.size(); }

  public int dim() { return dim; }

  /** Row of an id, or -1. */
  public int indexOf(String wikidataId) { return ids.get(wikidataId); }

  public String id(int row) { return ids.key(row); }

  /** A copy of the vector of an id, or null. */
  public float[] vector(String wikidataId) {
    int r = ids.get(wikidataId);
    return r < 0 ? null : Arrays.copyOfRange(values, r * dim, (r + 1) * dim);
  }

  /** The backing row-major array (size x dim); do not modify. */
  public float[] values() { return values; }
}
