package dev.newsrec.core.baseline;

import dev.newsrec.core.config.ConfigProblems;
import dev.newsrec.core.data.DataFormatException;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.io.AtomicFiles;
import dev.newsrec.core.model.Recommender;
import dev.newsrec.core.model.RecommenderSpec;
import dev.newsrec.core.model.TrainContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scores a candidate by how often it was clicked in the training logs; optionally each click is
 * weighted 2^(-age / half-life) with age measured from the last training impression. News never
 * clicked in training score 0.
 */
public final class PopularityRecommender implements Recommender {
  public static final String TYPE = "popularity";
  private final Map<String, Double> clicks;

  /**
   * @param recencyHalfLifeHours half-life of a click's weight in hours; 0 = plain click counts
   */
  public record Options(Double recencyHalfLifeHours) {
    public Options {
      if (recencyHalfLifeHours == null) recencyHalfLifeHours = 0.0;
      ConfigProblems p = new ConfigProblems();
      p.atLeast("recency_half_life_hours", recencyHalfLifeHours, 0);
      p.throwIfAny();
    }
  }

  public static final RecommenderSpec<Options> SPEC = new RecommenderSpec<>() {
    @Override public String type() { return TYPE; }

    @Override public Class<Options> optionsType() { return Options.class; }

    @Override public Recommender train(Options o, TrainContext c) {
      return fit(c.train(), o.recencyHalfLifeHours());
    }

    @Override public Recommender load(Options o, Path dir) { return read(dir.resolve(FILE)); }
  };

  private static final String FILE = "popularity.tsv";

  private PopularityRecommender(Map<String, Double> clicks) { this.clicks = clicks; }

  public static PopularityRecommender fit(Impressions train, double halfLifeHours) {
    long last = Long.MIN_VALUE;
    for (int i = 0; i < train.size(); i++) last = Math.max(last, train.time(i));
    double[] weight = new double[train.corpus().size()];
    for (int i = 0; i < train.size(); i++) {
      double w = halfLifeHours > 0 ? Math.pow(2, -(last - train.time(i)) / 3600.0 / halfLifeHours) : 1;
      for (int j = 0; j < train.candidateCount(i); j++) {
        if (train.label(i, j) == 1) weight[train.candidate(i, j)] += w;
      }
    }
    Map<String, Double> clicks = new LinkedHashMap<>();
    for (int n = 0; n < weight.length; n++) if (weight[n] > 0) clicks.put(train.corpus().id(n), weight[n]);
    return new PopularityRecommender(clicks);
  }

  @Override public String type() { return TYPE; }

  @Override public float[] score(Impressions imps) {
    float[] byNews = new float[imps.corpus().size()];
    for (int n = 0; n < byNews.length; n++) {
      byNews[n] = clicks.getOrDefault(imps.corpus().id(n), 0.0).floatValue();
    }
    int[] cands = imps.flatCandidates();
    float[] out = new float[imps.totalCandidates()];
    for (int k = 0; k < out.length; k++) out[k] = byNews[cands[k]];
    return out;
  }

  @Override public void save(Path dir) {
    AtomicFiles.writeText(dir.resolve(FILE), w -> {
      for (Map.Entry<String, Double> e : clicks.entrySet()) {
        w.write(e.getKey() + "\t" + e.getValue() + "\n");
      }
    });
  }

  static PopularityRecommender read(Path file) {
    Map<String, Double> clicks = new HashMap<>();
    try (BufferedReader in = Files.newBufferedReader(file)) {
      String line;
      long no = 0;
      while ((line = in.readLine()) != null) {
        no++;
        int tab = line.indexOf('\t');
        if (tab <= 0) throw new DataFormatException(file, no, "NewsID", "expected NewsID<TAB>weight");
        try {
          clicks.put(line.substring(0, tab), Double.parseDouble(line.substring(tab + 1)));
        } catch (NumberFormatException e) {
          throw new DataFormatException(file, no, "weight", "not a number: " + line.substring(tab + 1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return new PopularityRecommender(clicks);
  }
}
