package dev.newsrec.core.synth;

import dev.newsrec.core.data.Impressions;

/**
 * Prints the dev AUC of random, popularity, content and oracle scores for a preset, the figures
 * behind the calibration promise, for presets too big for a unit test. A tool, not a test:
 * {@code java -cp <core classes, test classes, deps> dev.newsrec.core.synth.CalibrationProbe
 * medium [seed] [entity-weight]}.
 */
public final class CalibrationProbe {
  public static void main(String[] args) {
    SynthConfig c = SynthConfig.preset(args[0]).withSeed(args.length > 1 ? Long.parseLong(args[1]) : 7);
    if (args.length > 2) c = c.withEntityWeight(Double.parseDouble(args[2]));
    long t0 = System.nanoTime();
    SyntheticWorld w = SyntheticWorld.generate(c);
    SyntheticSplit train = w.train();
    SyntheticSplit dev = w.dev();
    System.out.printf("generated in memory in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    Impressions d = dev.impressions();
    var vectors = w.entityVectors();
    double oracle = Scorers.meanAuc(d, dev.oracle());
    double random = Scorers.meanAuc(d, Scorers.random(d, 1));
    double pop = Scorers.meanAuc(d, Scorers.popularity(train.impressions(), d));
    double content = Scorers.meanAuc(d, Scorers.content(d, Scorers.Parts.ALL, vectors));
    double words = Scorers.meanAuc(d, Scorers.content(d, Scorers.Parts.WORDS));
    double entities = Scorers.meanAuc(d, Scorers.content(d, Scorers.Parts.ENTITIES, vectors));
    // The best any content model can do: the hidden user-news affinity without quality and noise.
    double ceiling = Scorers.meanAuc(d, Scorers.trueInterests(w, d));
    double history = Scorers.meanAuc(d, Scorers.historyLabels(w, d, 0.08));
    System.out.printf("%s seed %d entity weight %.2f dev AUC: random %.4f popularity %.4f content %.4f "
            + "(words only %.4f, entities only %.4f) hidden-affinity %.4f oracle %.4f%n",
        args[0], c.seed(), c.entityWeight(), random, pop, content, words, entities, ceiling, oracle);
    System.out.printf("popularity inside train (day 6 scored by clicks of days 1-5): %.4f%n",
        trainPopularity(train.impressions()));
    System.out.printf("history-labels (preferences estimated from the history's hidden labels) %.4f%n", history);
    System.out.printf("share of the random-oracle gap closed: popularity %.2f content %.2f "
            + "history-labels %.2f hidden-affinity %.2f%n",
        (pop - 0.5) / (oracle - 0.5), (content - 0.5) / (oracle - 0.5), (history - 0.5) / (oracle - 0.5),
        (ceiling - 0.5) / (oracle - 0.5));
  }

  /** AUC on train's day 6 of the click counts of days 1-5: popularity is a real, weak signal. */
  static double trainPopularity(Impressions train) {
    long cut = SyntheticWorld.START + 5 * SyntheticWorld.DAY;
    java.util.Map<Integer, Integer> clicks = new java.util.HashMap<>();
    for (int i = 0; i < train.size(); i++) {
      if (train.time(i) >= cut) continue;
      for (int j = 0; j < train.candidateCount(i); j++) {
        if (train.label(i, j) == 1) clicks.merge(train.candidate(i, j), 1, Integer::sum);
      }
    }
    var acc = new dev.newsrec.core.metrics.MetricsAccumulator();
    for (int i = 0; i < train.size(); i++) {
      if (train.time(i) < cut) continue;
      int k = train.candidateCount(i);
      double[] p = new double[k];
      byte[] y = new byte[k];
      for (int j = 0; j < k; j++) {
        p[j] = clicks.getOrDefault(train.candidate(i, j), 0);
        y[j] = (byte) train.label(i, j);
      }
      acc.add(p, y);
    }
    return acc.result().auc();
  }
}
