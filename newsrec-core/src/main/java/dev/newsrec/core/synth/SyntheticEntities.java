package dev.newsrec.core.synth;

import static dev.newsrec.core.synth.SyntheticWorld.CLUSTERS;
import static dev.newsrec.core.synth.SyntheticWorld.DIM;
import static dev.newsrec.core.synth.SyntheticWorld.S_CENTRE;
import static dev.newsrec.core.synth.SyntheticWorld.S_ENTITY;
import static dev.newsrec.core.synth.SyntheticWorld.S_RELATION;
import static dev.newsrec.core.synth.SyntheticWorld.S_VECTOR;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The synthetic world's entities: invented names with a MIND entity type, a WikidataId, one topic
 * and one latent cluster of that topic each, and a TransE-like vector (topic centre + cluster
 * offset + own noise), all pure functions of the seed and the entity's index.
 *
 * <p>Entity e belongs to topic {@code (e % (T * C)) / C} and cluster {@code e % C}; the k-th entity
 * of a (topic, cluster) pool is {@code k * T * C + t * C + c}, and titles draw small k more often
 * (Zipf), so popular entities recur across titles as in the news.
 */
final class SyntheticEntities {
  private static final int[] RELATION_IDS = {17, 27, 31, 131, 150, 279, 361, 463, 527, 1344};
  private static final String[] ORG_SUFFIX = {"Group", "United", "Institute", "Records", "Capital",
      "Network", "Foundation", "Motors", "Studios", "Partners", "Council", "Club"};
  private static final String[] PLACE_SUFFIX = {"ville", " City", " Bay", "ton", "burg",
      " Valley", " Falls", "field"};
  private static final String[] ONSETS = {"b", "br", "c", "d", "dr", "f", "g", "gr", "h", "j",
      "k", "l", "m", "n", "p", "r", "s", "st", "t", "tr", "v", "w", "z", "sh", "th"};
  private static final String[] VOWELS = {"a", "e", "i", "o", "u", "a", "e", "o", "ai", "ea", "ou"};
  private static final String[] CODAS = {"", "", "", "n", "r", "l", "s", "m", "nd", "rk", "x", "th"};

  private final long seed;
  private final int topics;
  private final int count;

  SyntheticEntities(long seed, int topics, int count) {
    this.seed = seed;
    this.topics = topics;
    this.count = count;
  }

  int size() { return count; }

  /** An entity of topic t and cluster c, popular ones more often. */
  int draw(int t, int c, Rng r) {
    int stride = topics * CLUSTERS;
    int residue = t * CLUSTERS + c;
    int pool = (count - residue + stride - 1) / stride;
    return r.zipf(pool, 1.1) * stride + residue;
  }

  int topic(int e) { return (e % (topics * CLUSTERS)) / CLUSTERS; }

  static int cluster(int e) { return e % CLUSTERS; }

  static String wikidataId(int e) { return "Q" + (10_000 + 7L * e); }

  /** MIND's entity type: P(erson), O(rganisation), G(eographic), C(oncept). */
  String type(int e) {
    double x = Rng.of(seed, S_ENTITY, e).nextDouble();
    return x < 0.45 ? "P" : x < 0.75 ? "O" : x < 0.95 ? "G" : "C";
  }

  /**
   * The invented name, e.g. "Dorrin Kavel" (P), "Vantor Group" (O), "Morvale" (G). People share
   * one of two family names and organisations one stem per (topic, cluster), as related real
   * entities share name parts: a text model can learn a cluster from the words of its names.
   */
  String label(int e) {
    Rng r = Rng.of(seed, S_ENTITY, e);
    double x = r.nextDouble();
    if (x < 0.45) return name(r, 2) + " " + clusterName(e, 1 + r.nextInt(2));
    if (x < 0.75) return clusterName(e, 0) + " " + ORG_SUFFIX[r.nextInt(ORG_SUFFIX.length)];
    if (x < 0.95) return name(r, 2) + PLACE_SUFFIX[r.nextInt(PLACE_SUFFIX.length)];
    return name(r, 3);
  }

  /** Name part k of entity e's (topic, cluster): 0 the organisations' stem, 1-2 family names. */
  private String clusterName(int e, int k) {
    return name(Rng.of(seed, S_CENTRE, 2_000 + 3L * (topic(e) * CLUSTERS + cluster(e)) + k), 2 + k % 2);
  }

  private static String name(Rng r, int syllables) {
    StringBuilder sb = new StringBuilder();
    for (int s = 0; s < syllables; s++) {
      sb.append(ONSETS[r.nextInt(ONSETS.length)]).append(VOWELS[r.nextInt(VOWELS.length)]);
      if (s == syllables - 1 || r.chance(0.3)) sb.append(CODAS[r.nextInt(CODAS.length)]);
    }
    return Character.toUpperCase(sb.charAt(0)) + sb.substring(1);
  }

  /** TransE-like vector: topic centre + cluster offset + entity noise, about 0.1 per value. */
  float[] vector(int e) {
    int t = topic(e);
    int c = cluster(e);
    Rng centre = Rng.of(seed, S_CENTRE, t);
    Rng offset = Rng.of(seed, S_CENTRE, 1_000 + t * CLUSTERS + c);
    Rng own = Rng.of(seed, S_VECTOR, e);
    float[] v = new float[DIM];
    for (int k = 0; k < DIM; k++) {
      v[k] = (float) (0.07 * centre.gaussian() + 0.05 * offset.gaussian() + 0.035 * own.gaussian());
    }
    return v;
  }

  /** A few relation vectors (MIND's relation_embedding.vec), random: no model reads them. */
  Map<String, float[]> relationVectors() {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (int k = 0; k < RELATION_IDS.length; k++) {
      Rng r = Rng.of(seed, S_RELATION, k);
      float[] v = new float[DIM];
      for (int j = 0; j < DIM; j++) v[j] = (float) (0.1 * r.gaussian());
      out.put("P" + RELATION_IDS[k], v);
    }
    return out;
  }
}
