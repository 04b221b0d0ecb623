package dev.newsrec.core.synth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** The synthetic world's topics (MIND-like category/subcategory) and their English word lists. */
final class Vocabulary {
  /** Share of news per category, roughly as in MIND; split evenly among its subcategories. */
  private static final Map<String, Double> CATEGORY_SHARE = Map.of(
      "news", 0.30, "sports", 0.20, "finance", 0.10, "lifestyle", 0.09, "entertainment", 0.10,
      "health", 0.06, "foodanddrink", 0.05, "travel", 0.04, "autos", 0.03, "weather", 0.03);

  final String[] common;
  final String[] category;
  final String[] subCategory;
  /** words[topic][facet]: the topic's words dealt round-robin into facets. */
  final String[][][] words;
  /** Share of news (and of user attention) per topic; sums to 1. */
  final double[] topicShare;

  private Vocabulary(String[] common, List<String[]> topics, List<String[]> topicWords, int facets) {
    this.common = common;
    int t = topics.size();
    category = new String[t];
    subCategory = new String[t];
    words = new String[t][facets][];
    topicShare = new double[t];
    for (int i = 0; i < t; i++) {
      category[i] = topics.get(i)[0];
      subCategory[i] = topics.get(i)[1];
      String[] w = topicWords.get(i);
      for (int f = 0; f < facets; f++) {
        List<String> part = new ArrayList<>();
        for (int k = f; k < w.length; k += facets) part.add(w[k]);
        words[i][f] = part.toArray(String[]::new);
      }
    }
    double total = 0;
    for (int i = 0; i < t; i++) {
      int siblings = 0;
      for (int j = 0; j < t; j++) if (category[j].equals(category[i])) siblings++;
      topicShare[i] = CATEGORY_SHARE.getOrDefault(category[i], 0.03) / siblings;
      total += topicShare[i];
    }
    for (int i = 0; i < t; i++) topicShare[i] /= total;
  }

  int topics() { return category.length; }

  /** Loads the bundled word lists, dealing each topic's words into the given number of facets. */
  static Vocabulary load(int facets) {
    try (InputStream in = Vocabulary.class.getResourceAsStream("vocabulary.txt")) {
      if (in == null) throw new IllegalStateException("vocabulary.txt missing from the class path");
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String[] common = null;
      List<String[]> topics = new ArrayList<>();
      List<String[]> topicWords = new ArrayList<>();
      String line;
      while ((line = r.readLine()) != null) {
        line = line.strip();
        if (line.isEmpty() || line.startsWith("#")) continue;
        int colon = line.indexOf(':');
        String key = line.substring(0, colon).strip();
        String[] w = new LinkedHashSet<>(List.of(line.substring(colon + 1).strip().split("\\s+")))
            .toArray(String[]::new);
        if (key.equals("common")) {
          common = w;
        } else {
          topics.add(key.split("/"));
          topicWords.add(w);
        }
      }
      if (common == null || topics.isEmpty()) throw new IllegalStateException("vocabulary.txt incomplete");
      return new Vocabulary(common, topics, topicWords, facets);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
