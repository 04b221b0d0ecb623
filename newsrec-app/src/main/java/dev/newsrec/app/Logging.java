package dev.newsrec.app;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/** The one logging backend (log4j2 behind SLF4J, configured by log4j2.xml): quiet unless asked. */
final class Logging {
  private Logging() {}

  /** {@code --verbose}: libraries' informational lines too (engine, threads, natives). */
  static void verbose() {
    Configurator.setRootLevel(Level.INFO);
    Configurator.setLevel("ai.djl.util.cuda.CudaUtils", Level.WARN);
  }
}
