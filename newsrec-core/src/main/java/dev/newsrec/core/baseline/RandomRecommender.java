package dev.newsrec.core.baseline;

import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.model.Recommender;
import dev.newsrec.core.model.RecommenderSpec;
import dev.newsrec.core.model.TrainContext;
import dev.newsrec.core.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Uniform random scores: the floor every model must clear (AUC 0.5 in expectation). */
public final class RandomRecommender implements Recommender {
  public static final String TYPE = "random";
  private final long seed;

  public RandomRecommender(long seed) { this.seed = seed; }

  /** No options beyond the run seed. */
  public record Options() {}

  public static final RecommenderSpec<Options> SPEC = new RecommenderSpec<>() {
    @Override public String type() { return TYPE; }

    @Override public Class<Options> optionsType() { return Options.class; }

    @Override public Recommender train(Options o, TrainContext c) { return new RandomRecommender(c.seed()); }

    @Override public Recommender load(Options o, Path dir) {
      try {
        return new RandomRecommender(Long.parseLong(Files.readString(dir.resolve("seed.txt")).trim()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + dir.resolve("seed.txt"), e);
      }
    }
  };

  @Override public String type() { return TYPE; }

  /** The score depends only on seed, impression id and position, so every split is reproducible. */
  @Override public float[] score(Impressions imps) {
    float[] out = new float[imps.totalCandidates()];
    for (int i = 0; i < imps.size(); i++) {
      long h = mix(seed ^ mix(imps.impressionId(i).hashCode()));
      for (int j = 0; j < imps.candidateCount(i); j++) {
        out[imps.offset(i) + j] = (mix(h + j) >>> 40) / (float) (1L << 24);
      }
    }
    return out;
  }

  @Override public void save(Path dir) {
    AtomicFiles.writeString(dir.resolve("seed.txt"), seed + "\n");
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
