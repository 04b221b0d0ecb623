package dev.newsrec.core.synth;

import dev.newsrec.core.UserException;
import java.util.List;
import java.util.Locale;

/**
 * Everything that shapes a synthetic world: its size, the knobs of the hidden click model and the
 * seed. Start from a {@link #preset(String)} and override fields with the {@code with...} methods.
 *
 * @param preset name of the preset the sizes came from (for summaries only)
 * @param seed same seed, same world, byte for byte
 * @param news news in the corpus (history-only news published before the logs plus news
 *     published during the 7 days of logs)
 * @param users users; a share {@code unlabelledUsers} of them has a history but no impressions
 * @param trainImpressions impressions in days 1-6 (train/behaviors.tsv)
 * @param devImpressions impressions in day 7 (dev/behaviors.tsv)
 * @param titleLength mean title length in words (spread about 30% around it)
 * @param historyLength mean clicked-history length of a user (log-normal, long tail; about 3% of
 *     users have an empty history)
 * @param candidates mean candidates per impression (log-normal, long tail, at least 2)
 * @param entityWeight how much clicks depend on title entities versus title words: 0 = words
 *     only, 1 = entities only (the category affinity term counts in both cases)
 * @param unlabelledUsers share of users with a history but no impressions, written to
 *     train/histories.tsv (0 = no such file, as in MIND)
 * @param abstracts whether news carry abstracts (MIND's Abstract column)
 */
public record SynthConfig(
    String preset,
    long seed,
    int news,
    int users,
    int trainImpressions,
    int devImpressions,
    double titleLength,
    double historyLength,
    double candidates,
    double entityWeight,
    double unlabelledUsers,
    boolean abstracts) {

  public static final List<String> PRESETS = List.of("tiny", "small", "medium", "large");

  public SynthConfig {
    require(news >= 50, "news must be at least 50, got " + news);
    require(users >= 2, "users must be at least 2, got " + users);
    require(trainImpressions >= 1, "train impressions must be at least 1, got " + trainImpressions);
    require(devImpressions >= 1, "dev impressions must be at least 1, got " + devImpressions);
    require(titleLength >= 3 && titleLength <= 40, "title length must be in [3, 40], got " + titleLength);
    require(historyLength >= 0 && historyLength <= 500,
        "history length must be in [0, 500], got " + historyLength);
    require(candidates >= 2 && candidates <= 300, "candidates must be in [2, 300], got " + candidates);
    require(entityWeight >= 0 && entityWeight <= 1,
        "entity weight must be in [0, 1], got " + entityWeight);
    require(unlabelledUsers >= 0 && unlabelledUsers < 1,
        "unlabelled users must be a share in [0, 1), got " + unlabelledUsers);
  }

  private static void require(boolean ok, String message) {
    if (!ok) throw new UserException(message);
  }

  /**
   * The named preset with seed 0: tiny (unit tests, well under a second), small (quickstart on a
   * laptop), medium (MIND-small sizes), large (MIND-large sizes, streams to disk).
   */
  public static SynthConfig preset(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "tiny" -> new SynthConfig("tiny", 0, 300, 100, 600, 200, 10, 10, 10, 0.5, 0, true);
      case "small" -> new SynthConfig("small", 0, 3_000, 1_500, 8_000, 2_000, 10, 30, 20, 0.5, 0, true);
      case "medium" -> new SynthConfig("medium", 0, 51_282, 50_000, 156_965, 73_152, 10, 33, 37,
          0.5, 0, true);
      case "large" -> new SynthConfig("large", 0, 161_013, 1_000_000, 2_232_748, 376_471, 10, 20,
          37, 0.5, 0, true);
      default -> throw new UserException("unknown preset '" + name + "'; expected one of " + PRESETS);
    };
  }

  public SynthConfig withSeed(long s) {
    return new SynthConfig(preset, s, news, users, trainImpressions, devImpressions, titleLength,
        historyLength, candidates, entityWeight, unlabelledUsers, abstracts);
  }

  public SynthConfig withSizes(int newsCount, int userCount, int train, int dev) {
    return new SynthConfig(preset, seed, newsCount, userCount, train, dev, titleLength,
        historyLength, candidates, entityWeight, unlabelledUsers, abstracts);
  }

  public SynthConfig withTitleLength(double words) {
    return new SynthConfig(preset, seed, news, users, trainImpressions, devImpressions, words,
        historyLength, candidates, entityWeight, unlabelledUsers, abstracts);
  }

  public SynthConfig withHistoryLength(double clicks) {
    return new SynthConfig(preset, seed, news, users, trainImpressions, devImpressions,
        titleLength, clicks, candidates, entityWeight, unlabelledUsers, abstracts);
  }

  public SynthConfig withCandidates(double perImpression) {
    return new SynthConfig(preset, seed, news, users, trainImpressions, devImpressions,
        titleLength, historyLength, perImpression, entityWeight, unlabelledUsers, abstracts);
  }

  public SynthConfig withEntityWeight(double w) {
    return new SynthConfig(preset, seed, news, users, trainImpressions, devImpressions,
        titleLength, historyLength, candidates, w, unlabelledUsers, abstracts);
  }

  public SynthConfig withUnlabelledUsers(double share) {
    return new SynthConfig(preset, seed, news, users, trainImpressions, devImpressions,
        titleLength, historyLength, candidates, entityWeight, share, abstracts);
  }

  public SynthConfig withAbstracts(boolean on) {
    return new SynthConfig(preset, seed, news, users, trainImpressions, devImpressions,
        titleLength, historyLength, candidates, entityWeight, unlabelledUsers, on);
  }
}
