package dev.newsrec.core.config;

import dev.newsrec.core.UserException;
import dev.newsrec.core.mind.MindFolder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which MIND-format folders a run reads. The news corpus is the union of the news.tsv of every
 * folder given, so dev and test news keep their titles.
 *
 * @param train folder with news.tsv and behaviors.tsv used for training
 * @param dev folder evaluated after training (labelled or not)
 * @param lenient skip and count bad lines instead of stopping at the first
 * @param maxTrainImpressions cap on training impressions (0 = all), for CPU-sized runs
 * @param valid the validation split that selects the best epoch: a MIND-format folder, or
 *     {@code last_day} to hold out the training impressions of the last day of train; absent = no
 *     selection (the last epoch is kept). The dev split is never used to choose.
 */
public record DataConfig(String train, String dev, Boolean lenient, Integer maxTrainImpressions,
    String valid) implements ReadsFolders {
  /** {@code data.valid: last_day}: the last day of the training logs held out. */
  public static final String LAST_DAY = "last_day";

  public DataConfig {
    if (lenient == null) lenient = false;
    if (maxTrainImpressions == null) maxTrainImpressions = 0;
    ConfigProblems p = new ConfigProblems();
    p.required("train", train, "a MIND split folder with news.tsv and behaviors.tsv");
    p.atLeast("max_train_impressions", maxTrainImpressions, 0);
    p.throwIfAny();
  }

  @Override
  public void checkFolders(ConfigProblems problems) {
    split(problems, "train", train);
    split(problems, "dev", dev);
    if (valid != null && !valid.equals(LAST_DAY)) split(problems, "valid", valid);
  }

  /** True when valid names a folder (not {@code last_day}). */
  public boolean validFolder() { return valid != null && !valid.equals(LAST_DAY); }

  private static void split(ConfigProblems problems, String key, String folder) {
    if (!problems.readableFolder(key, folder)) return;
    try {
      MindFolder split = MindFolder.of(Path.of(folder));
      for (Path f : new Path[] {split.news(), split.behaviors()}) {
        if (!Files.isReadable(f)) problems.add(key, f + " cannot be read (permission denied)");
      }
    } catch (UserException e) {
      problems.add(key, e.getMessage());
    }
  }
}
