package dev.newsrec.core.config;

/**
 * Which MIND-format folders a run reads. The news corpus is the union of the news.tsv of every
 * folder given, so dev and test news keep their titles.
 *
 * @param train folder with news.tsv and behaviors.tsv used for training
 * @param dev folder evaluated after training (labelled or not)
 * @param lenient skip and count bad lines instead of stopping at the first
 * @param maxTrainImpressions cap on training impressions (0 = all), for CPU-sized runs
 */
public record DataConfig(String train, String dev, Boolean lenient, Integer maxTrainImpressions) {
  public DataConfig {
    if (lenient == null) lenient = false;
    if (maxTrainImpressions == null) maxTrainImpressions = 0;
    if (maxTrainImpressions < 0) throw new IllegalArgumentException("max_train_impressions must be >= 0");
  }
}
