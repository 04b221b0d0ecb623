package dev.newsrec.app;

import dev.newsrec.core.UserException;
import dev.newsrec.core.mind.AdressaConverter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code newsrec data adressa}: the raw Adressa one-week release as MIND-format folders. */
@Command(
    name = "adressa",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Converts the raw Adressa release (one file of JSON-lines events per day, e.g. one_week/) "
          + "to MIND's format as the IP2 paper does: DIR/train (every day but the last) and "
          + "DIR/dev (the last day). Every click becomes an impression of the clicked news and "
          + "--negatives news the user never read that week, drawn at random (seeded); the "
          + "history is the user's earlier clicks (the most recent --history); users with fewer "
          + "than --min-reads distinct reads are dropped; titles keep --title-words words; "
          + "entities come from the articles' profile annotations. Events without an article id "
          + "or title are skipped and counted. Same input and seed, same bytes."
    })
public final class AdressaCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--raw", required = true, paramLabel = "DIR", description = "Folder of the day files (read in name order).")
  Path raw;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Folder to write; written to a temporary folder and renamed at the end.")
  Path out;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Seed of the negative draw (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--negatives", defaultValue = "20", paramLabel = "N", description = "Non-clicked candidates per impression (default: ${DEFAULT-VALUE}).")
  int negatives;

  @Option(names = "--history", defaultValue = "50", paramLabel = "N", description = "Most recent earlier clicks kept as the history (default: ${DEFAULT-VALUE}).")
  int history;

  @Option(names = "--min-reads", defaultValue = "5", paramLabel = "N", description = "Drop users with fewer distinct reads (default: ${DEFAULT-VALUE}).")
  int minReads;

  @Option(names = "--title-words", defaultValue = "20", paramLabel = "N", description = "Words of a title kept (default: ${DEFAULT-VALUE}).")
  int titleWords;

  @Option(names = "--lenient", description = "Skip and count malformed lines instead of stopping at the first.")
  boolean lenient;

  @Option(names = "--force", description = "Replace DIR when it exists and is not empty.")
  boolean force;

  @Override
  public Integer call() {
    if (!force && SynthCommand.isNonEmptyFolder(out)) {
      throw new UserException(out + " exists and is not empty; pass --force to replace it");
    }
    if (Files.exists(out) && !Files.isDirectory(out)) throw new UserException(out + " exists and is not a folder");
    AdressaConverter.Options o = new AdressaConverter.Options(seed, negatives, history, minReads, titleWords, lenient);
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    long began = System.nanoTime();
    AdressaConverter.Summary s = AdressaConverter.convert(raw, out, o, line -> {
      err.println("newsrec: adressa: " + line);
      err.flush();
    });
    stdout.printf("wrote %s in %.1f s%n", out, (System.nanoTime() - began) / 1e9);
    stdout.printf("  events %,d: %,d article reads, %,d without an article id or title (skipped)%s%n",
        s.events(), s.articleEvents(), s.withoutIdOrTitle(),
        lenient ? String.format(", %,d malformed (skipped)", s.malformed()) : "");
    for (String example : s.malformedExamples()) stdout.println("    e.g. " + example);
    stdout.printf("  %,d news; %,d users, %,d kept (at least %d distinct reads); %,d repeated reads of a news dropped%n",
        s.news(), s.usersRead(), s.usersKept(), minReads, s.repeatedClicks());
    stdout.printf("  train %,d impressions, dev %,d impressions; %,d with fewer than %d negatives (the user had read almost everything)%n",
        s.trainImpressions(), s.devImpressions(), s.shortImpressions(), negatives);
    stdout.flush();
    return 0;
  }
}
