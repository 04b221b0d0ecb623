package dev.newsrec.app;

/** Makes AWT headless: reports draw their plots on machines without a display. */
final class Headless {
  private Headless() {}

  /** Call before any AWT class loads; an explicit -Djava.awt.headless given by the user stands. */
  static void ensure() {
    if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
  }
}
