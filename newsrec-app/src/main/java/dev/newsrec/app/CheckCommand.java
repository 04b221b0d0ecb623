package dev.newsrec.app;

import dev.newsrec.core.UserException;
import dev.newsrec.core.mind.DataCheck;
import dev.newsrec.core.mind.MindFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code newsrec data check DIR}: validate MIND-format folders and print their statistics. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Validate a MIND split folder (or a folder of splits) and print its statistics.",
        "Counts every defect by file and class (blank lines, bad fields, duplicate news, impression"
            + " and candidate ids, empty files, a labelled split without clicks, entity vectors of"
            + " different dimensions) and exits 2 when there is any."})
public final class CheckCommand implements Callable<Integer> {
  @Parameters(paramLabel = "DIR", description = "A split folder (news.tsv + behaviors.tsv) or a folder holding split folders")
  Path dir;

  @Option(names = "--lenient", description = "Accept the defects that lenient reading drops (the"
      + " first occurrence is kept); empty files, no clicks and mixed vector dimensions still fail")
  boolean lenient;

  @Override
  public Integer call() {
    List<DataCheck.Report> reports = DataCheck.checkAll(splits(dir));
    long defects = 0;
    long fatal = 0;
    String first = null;
    String firstFatal = null;
    for (DataCheck.Report r : reports) {
      System.out.print(r.render());
      defects += r.defectCount();
      fatal += r.fatalCount();
      if (first == null) first = r.firstDefect();
      if (firstFatal == null) firstFatal = r.firstFatal();
    }
    String splits = reports.size() + " split folder(s)";
    if (defects == 0) {
      System.out.println("OK: " + splits + " valid");
      return 0;
    }
    if (lenient && fatal == 0) {
      System.out.println("OK with --lenient: " + defects + " defect(s) in " + splits
          + " are dropped when read with --lenient (counts above)");
      return 0;
    }
    // With --lenient only what it cannot drop fails, so that is what the message names.
    throw new UserException((lenient ? firstFatal : first) + "; " + defects + " defect(s) in "
        + splits + " (counted above" + (fatal == 0 ? "; --lenient drops them" : "") + ")");
  }

  /** DIR itself when it holds MIND files, else its subfolders that do. */
  private static List<Path> splits(Path dir) {
    if (!Files.isDirectory(dir)) throw new UserException(dir + ": no such folder");
    if (isSplit(dir)) return List.of(dir);
    List<Path> splits = new ArrayList<>();
    try (var s = Files.list(dir)) {
      s.filter(CheckCommand::isSplit).sorted().forEach(splits::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    if (splits.isEmpty()) {
      throw new UserException(dir + ": no " + MindFolder.NEWS + " here or in its subfolders (a MIND"
          + " split folder holds " + MindFolder.NEWS + " and " + MindFolder.BEHAVIORS + ")");
    }
    return splits;
  }

  /** Holds either MIND file: a split folder, or one missing a file (MindFolder.of names it). */
  private static boolean isSplit(Path p) {
    return Files.isRegularFile(p.resolve(MindFolder.NEWS))
        || Files.isRegularFile(p.resolve(MindFolder.BEHAVIORS));
  }
}
