package dev.newsrec.app;

import dev.newsrec.core.UserException;
import dev.newsrec.core.synth.SynthConfig;
import dev.newsrec.core.synth.SyntheticWorld;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code newsrec data synth}: writes a synthetic MIND-format world with its click oracle. */
@Command(
    name = "synth",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Writes a synthetic world in MIND's format: DIR/train (days 1-6) and DIR/dev (day 7), each "
          + "with news.tsv, behaviors.tsv, entity_embedding.vec, relation_embedding.vec and "
          + "oracle.tsv (the true click probability of every candidate, the best ranking any model "
          + "can reach). The same seed gives byte-identical files.",
      "Presets: tiny (~300 news, unit tests), small (~3,000 news, quickstart on a laptop), "
          + "medium (MIND-small sizes), large (MIND-large sizes, a few minutes)."
    })
public final class SynthCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Folder to write; written to a temporary folder and renamed at the end.")
  Path out;

  @Option(names = "--preset", defaultValue = "small", paramLabel = "NAME",
      description = "tiny, small, medium or large (default: ${DEFAULT-VALUE}).")
  String preset;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--force", description = "Replace DIR when it exists and is not empty.")
  boolean force;

  @Option(names = "--entity-weight", paramLabel = "W",
      description = "How much clicks depend on title entities versus title words: 0 = words only, "
          + "1 = entities only (default 0.5).")
  Double entityWeight;

  @Option(names = "--unlabelled-users", paramLabel = "SHARE",
      description = "Share of users with a click history but no impressions, written to "
          + "train/histories.tsv for user-behaviour pre-training (default 0: no such file).")
  Double unlabelledUsers;

  @Option(names = "--title-length", paramLabel = "WORDS",
      description = "Mean title length in words (default 10).")
  Double titleLength;

  @Option(names = "--history-length", paramLabel = "CLICKS",
      description = "Mean clicked-history length, long-tailed, about 3%% empty (default: tiny 10, "
          + "small 20, medium 33, large 20).")
  Double historyLength;

  @Option(names = "--candidates", paramLabel = "N",
      description = "Mean candidates per impression, long-tailed (default: tiny 10, small 20, "
          + "medium and large 37).")
  Double candidates;

  @Option(names = "--news", paramLabel = "N", description = "Number of news (overrides the preset).")
  Integer news;

  @Option(names = "--users", paramLabel = "N", description = "Number of users (overrides the preset).")
  Integer users;

  @Option(names = "--train-impressions", paramLabel = "N",
      description = "Impressions in train (overrides the preset).")
  Integer trainImpressions;

  @Option(names = "--dev-impressions", paramLabel = "N",
      description = "Impressions in dev (overrides the preset).")
  Integer devImpressions;

  @Option(names = "--no-abstracts", description = "Leave MIND's Abstract column empty.")
  boolean noAbstracts;

  /** The configuration these options ask for. */
  SynthConfig config() {
    SynthConfig c = SynthConfig.preset(preset).withSeed(seed);
    c = c.withSizes(news != null ? news : c.news(), users != null ? users : c.users(),
        trainImpressions != null ? trainImpressions : c.trainImpressions(),
        devImpressions != null ? devImpressions : c.devImpressions());
    if (entityWeight != null) c = c.withEntityWeight(entityWeight);
    if (unlabelledUsers != null) c = c.withUnlabelledUsers(unlabelledUsers);
    if (titleLength != null) c = c.withTitleLength(titleLength);
    if (historyLength != null) c = c.withHistoryLength(historyLength);
    if (candidates != null) c = c.withCandidates(candidates);
    if (noAbstracts) c = c.withAbstracts(false);
    return c;
  }

  @Override
  public Integer call() {
    SynthConfig config = config();
    if (!force && isNonEmptyFolder(out)) {
      throw new UserException(out + " exists and is not empty; pass --force to replace it");
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new UserException(out + " exists and is not a folder");
    }
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    long began = System.nanoTime();
    err.printf("newsrec: synthetic world '%s', seed %d: %,d news, %,d users, %,d + %,d impressions%n",
        config.preset(), config.seed(), config.news(), config.users(), config.trainImpressions(),
        config.devImpressions());
    err.flush();
    SyntheticWorld world = SyntheticWorld.generate(config, line -> {
      err.println("newsrec: " + line);
      err.flush();
    });
    err.printf("newsrec: news and users ready after %.1f s; writing impressions%n", seconds(began));
    err.flush();
    List<SyntheticWorld.SplitSummary> summaries = world.write(out, line -> {
      err.println("newsrec: " + line);
      err.flush();
    });
    stdout.printf("wrote %s in %.1f s%n", out, seconds(began));
    for (SyntheticWorld.SplitSummary s : summaries) {
      stdout.printf("  %-5s %,9d news %,9d users %,10d impressions %,11d candidates %,10d clicks "
              + "(+%,d in histories), %,d all-negative impressions%n",
          s.name(), s.news(), s.users(), s.impressions(), s.candidates(), s.clicks(),
          s.historyClicks(), s.allNegative());
      stdout.printf("  %-5s oracle (the ceiling): %s%n", s.name(), s.oracle());
      if (s.unlabelledUsers() > 0) {
        stdout.printf("  %-5s %,9d users with a history and no impressions in histories.tsv%n",
            s.name(), s.unlabelledUsers());
      }
    }
    stdout.flush();
    return 0;
  }

  private static double seconds(long since) { return (System.nanoTime() - since) / 1e9; }

  static boolean isNonEmptyFolder(Path p) {
    if (!Files.isDirectory(p)) return false;
    try (Stream<Path> s = Files.list(p)) {
      return s.findAny().isPresent();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + p + ": " + e.getMessage(), e);
    }
  }
}
