package dev.newsrec.core.config;

/**
 * A config record that names folders a run reads: checked before any data is read, but only where
 * a run is about to start (a config listed for the docs may name another machine's folders).
 */
public interface ReadsFolders {
  /** Adds a problem for each folder that is missing, not a folder or not readable. */
  void checkFolders(ConfigProblems problems);
}
