package dev.newsrec.app;

import dev.newsrec.core.UserException;
import dev.newsrec.core.mind.DataCheck;
import dev.newsrec.core.mind.MindFolder;
import dev.newsrec.core.mind.ReadOptions;
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
    description = "Validate a MIND split folder (or a folder of splits) and print its statistics.")
public final class CheckCommand implements Callable<Integer> {
  @Parameters(paramLabel = "DIR", description = "A split folder (news.tsv + behaviors.tsv) or a folder holding split folders")
  Path dir;

  @Option(names = "--lenient", description = "Skip and count bad lines instead of stopping at the first")
  boolean lenient;

  @Override
  public Integer call() {
    List<Path> splits = new ArrayList<>();
    if (Files.isRegularFile(dir.resolve(MindFolder.NEWS))) {
      splits.add(dir);
    } else if (Files.isDirectory(dir)) {
      try (var s = Files.list(dir)) {
        s.filter(p -> Files.isRegularFile(p.resolve(MindFolder.NEWS))).sorted().forEach(splits::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (splits.isEmpty()) {
      throw new UserException(dir + ": neither a MIND split folder nor a folder of split folders");
    }
    for (Path split : splits) {
      System.out.print(DataCheck.check(split, lenient ? ReadOptions.LENIENT : ReadOptions.STRICT).render());
    }
    System.out.println("OK: " + splits.size() + " split folder(s) valid");
    return 0;
  }
}
