package dev.newsrec.core.synth;

import dev.newsrec.core.data.Entity;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.News;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.core.metrics.Metrics;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Simple scorers used to check the synthetic world's difficulty without neural models.
 */
final class Scorers {
  private Scorers() {}

  /** Mean per-impression AUC (official MIND definition) of flat scores aligned with imps. */
  static double meanAuc(Impressions imps, double[] scores) {
    return Metrics.evaluate(imps, scores).auc();
  }

  static double[] random(Impressions imps, long seed) {
    Random r = new Random(seed);
    double[] s = new double[imps.totalCandidates()];
    for (int k = 0; k < s.length; k++) s[k] = r.nextDouble();
    return s;
  }

  /** Score = how often the candidate was clicked in the train impressions. */
  static double[] popularity(Impressions train, Impressions eval) {
    Map<String, Integer> clicks = new HashMap<>();
    for (int i = 0; i < train.size(); i++) {
      for (int j = 0; j < train.candidateCount(i); j++) {
        if (train.label(i, j) == 1) clicks.merge(train.corpus().id(train.candidate(i, j)), 1, Integer::sum);
      }
    }
    double[] s = new double[eval.totalCandidates()];
    for (int i = 0; i < eval.size(); i++) {
      for (int j = 0; j < eval.candidateCount(i); j++) {
        s[eval.offset(i) + j] = clicks.getOrDefault(eval.corpus().id(eval.candidate(i, j)), 0);
      }
    }
    return s;
  }

  /** Which parts of the news a content scorer looks at. */
  record Parts(double words, double entities, double category) {
    static final Parts ALL = new Parts(1, 1, 1);
    static final Parts WORDS = new Parts(1, 0, 0);
    static final Parts ENTITIES = new Parts(0, 1, 0);
  }

  /**
   * A bag-of-features content scorer: the user profile counts the words (entity labels left out),
   * entities and subcategories of the user's history; a candidate scores the idf-weighted share of
   * its title words in the profile, the share of its entities and of its subcategory.
   */
  static double[] content(Impressions eval, Parts parts) {
    return content(eval, parts, null);
  }

  /**
   * As {@link #content(Impressions, Parts)}; with entity vectors, the entity part is the mean
   * cosine of the candidate's entity vectors with the mean vector of the history's entities, so
   * entities never seen in the history still count (what the TransE vectors are for).
   */
  static double[] content(Impressions eval, Parts parts, Map<String, float[]> vectors) {
    NewsCorpus corpus = eval.corpus();
    Map<String, Double> idf = new HashMap<>();
    Map<String, Integer> df = new HashMap<>();
    for (News n : corpus.all()) for (String w : new HashSet<>(words(n))) df.merge(w, 1, Integer::sum);
    df.forEach((w, c) -> idf.put(w, Math.log((double) corpus.size() / c)));
    double[] s = new double[eval.totalCandidates()];
    int[] lastHistory = null;
    Map<String, Double> wordProfile = new HashMap<>();
    Map<String, Double> entityProfile = new HashMap<>();
    Map<String, Double> subProfile = new HashMap<>();
    double[] meanVector = null;
    for (int i = 0; i < eval.size(); i++) {
      int[] h = eval.history(i);
      if (h != lastHistory) {
        lastHistory = h;
        wordProfile.clear();
        entityProfile.clear();
        subProfile.clear();
        for (int n : h) {
          News news = corpus.get(n);
          for (String w : words(news)) wordProfile.merge(w, 1.0 / h.length, Double::sum);
          for (Entity e : news.titleEntities()) entityProfile.merge(e.wikidataId(), 1.0 / h.length, Double::sum);
          subProfile.merge(news.subCategory(), 1.0 / h.length, Double::sum);
        }
        if (vectors != null) {
          meanVector = null;
          for (int n : h) {
            for (Entity e : corpus.get(n).titleEntities()) {
              float[] v = vectors.get(e.wikidataId());
              if (meanVector == null) meanVector = new double[v.length];
              for (int k = 0; k < v.length; k++) meanVector[k] += v[k];
            }
          }
        }
      }
      for (int j = 0; j < eval.candidateCount(i); j++) {
        News c = corpus.get(eval.candidate(i, j));
        double w = 0;
        List<String> ws = words(c);
        for (String x : ws) w += wordProfile.getOrDefault(x, 0.0) * idf.getOrDefault(x, 0.0);
        w /= Math.max(1, ws.size());
        double e = 0;
        for (Entity x : c.titleEntities()) {
          e += vectors == null ? entityProfile.getOrDefault(x.wikidataId(), 0.0)
              : meanVector == null ? 0 : cosine(meanVector, vectors.get(x.wikidataId()));
        }
        e /= Math.max(1, c.titleEntities().size());
        double cat = subProfile.getOrDefault(c.subCategory(), 0.0);
        // Cosines are on a larger scale than the shares: damp them.
        double entityScale = vectors == null ? 1 : 0.3;
        s[eval.offset(i) + j] = parts.words() * w + entityScale * parts.entities() * e
            + parts.category() * cat;
      }
    }
    return s;
  }

  /** The click model's content term with the user's true preferences (no quality, no noise). */
  static double[] trueInterests(SyntheticWorld w, Impressions eval) {
    double[] s = new double[eval.totalCandidates()];
    for (int i = 0; i < eval.size(); i++) {
      for (int j = 0; j < eval.candidateCount(i); j++) {
        s[eval.offset(i) + j] = w.contentScore(eval.userId(i), eval.candidate(i, j));
      }
    }
    return s;
  }

  /**
   * What a model that reads only the history could at best learn, approximately: the click model's
   * content score with the user's preferences estimated from the hidden labels (topic, word facets,
   * entity clusters) of the history's news. A topic's weight is its share of the history relative
   * to the most clicked topic, zero below {@code minShare} (history clicks outside the interests);
   * a facet's or cluster's preference is its count relative to the topic's most clicked one,
   * times the topic's weight (as in the click model). Unlike {@link #content}, it knows every
   * word's facet and every entity's cluster exactly.
   */
  static double[] historyLabels(SyntheticWorld w, Impressions eval, double minShare) {
    NewsCorpus corpus = eval.corpus();
    int topics = w.topicCount();
    double[] s = new double[eval.totalCandidates()];
    for (int i = 0; i < eval.size(); i++) {
      int[] h = eval.history(i);
      double[] topic = new double[topics];
      double[][] facet = new double[topics][SyntheticWorld.FACETS];
      double[][] cluster = new double[topics][SyntheticWorld.CLUSTERS];
      for (int x : h) {
        int n = worldIndex(corpus, x);
        topic[w.topicOf(n)]++;
        for (short c : w.wordCodesOf(n)) facet[c / SyntheticWorld.FACETS][c % SyntheticWorld.FACETS]++;
        for (int c : w.entityCodesOf(n)) cluster[c / SyntheticWorld.CLUSTERS][c % SyntheticWorld.CLUSTERS]++;
      }
      double top = 0;
      for (int t = 0; t < topics; t++) {
        if (topic[t] < minShare * h.length) topic[t] = 0;
        top = Math.max(top, topic[t]);
      }
      for (int j = 0; j < eval.candidateCount(i); j++) {
        int n = worldIndex(corpus, eval.candidate(i, j));
        int t = w.topicOf(n);
        double cat = top == 0 ? 0 : topic[t] / top;
        if (topic[t] == 0) for (int sib : w.siblingsOf(n)) if (topic[sib] > 0) cat = 0.25;
        double words = 0;
        short[] codes = w.wordCodesOf(n);
        for (short c : codes) words += relative(topic, top, facet, c / SyntheticWorld.FACETS, c % SyntheticWorld.FACETS);
        words /= Math.max(1, codes.length);
        double ents = 0;
        int[] ecodes = w.entityCodesOf(n);
        for (int c : ecodes) ents += relative(topic, top, cluster, c / SyntheticWorld.CLUSTERS, c % SyntheticWorld.CLUSTERS);
        ents /= Math.max(1, ecodes.length);
        double ew = w.config().entityWeight();
        s[eval.offset(i) + j] = SyntheticWorld.W_CAT * cat
            + SyntheticWorld.W_CONTENT * ((1 - ew) * words + ew * ents);
      }
    }
    return s;
  }

  /** counts[t][k] relative to topic t's largest count, times t's weight (0 when not liked). */
  private static double relative(double[] topic, double top, double[][] counts, int t, int k) {
    if (topic[t] == 0) return 0;
    double max = 0;
    for (double c : counts[t]) max = Math.max(max, c);
    return max == 0 ? 0 : topic[t] / top * counts[t][k] / max;
  }

  /** The world's index of a corpus news (ids are N1, N2, ... in the world's order). */
  private static int worldIndex(NewsCorpus corpus, int news) {
    return Integer.parseInt(corpus.id(news).substring(1)) - 1;
  }

  static double cosine(double[] a, float[] b) {
    double ab = 0, aa = 0, bb = 0;
    for (int k = 0; k < a.length; k++) {
      ab += a[k] * b[k];
      aa += a[k] * a[k];
      bb += b[k] * b[k];
    }
    return ab / Math.sqrt(aa * bb + 1e-12);
  }

  /** Lower-cased title words, without the words of entity labels. */
  static List<String> words(News n) {
    Set<String> entityWords = new HashSet<>();
    for (Entity e : n.titleEntities()) {
      for (String w : e.label().toLowerCase(Locale.ROOT).split(" ")) entityWords.add(w);
    }
    List<String> out = new java.util.ArrayList<>();
    for (String w : n.title().toLowerCase(Locale.ROOT).split(" ")) {
      if (!entityWords.contains(w)) out.add(w);
    }
    return out;
  }
}
