package dev.newsrec.serve;

import java.nio.file.Path;

/** The tiny trained run for tests of other packages. */
public final class TinyRunAccess {
  private TinyRunAccess() {}

  public static Path run() throws Exception {
    return TinyRun.run();
  }
}
