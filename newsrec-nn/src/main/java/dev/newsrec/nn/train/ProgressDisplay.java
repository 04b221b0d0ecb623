package dev.newsrec.nn.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows training progress: on a terminal one line rewritten in place (at most five times a
 * second) with step/total, steps/s, ETA, smoothed loss and learning rate; otherwise a plain log
 * line every {@code logEvery} steps and at the last step.
 */
public final class ProgressDisplay implements TrainListener {
  private static final long REFRESH_NANOS = 200_000_000L;
  private final PrintStream out;
  private final boolean interactive;
  private final long logEvery;
  private long lastPrint = Long.MIN_VALUE;
  private int lastWidth;

  public ProgressDisplay(PrintStream out, boolean interactive, long logEvery) {
    if (logEvery <= 0) throw new IllegalArgumentException("logEvery must be positive: " + logEvery);
    this.out = out;
    this.interactive = interactive;
    this.logEvery = logEvery;
  }

  /** Standard error; updating line when a console is attached, else a line every {@code logEvery} steps. */
  public static ProgressDisplay auto(long logEvery) {
    return new ProgressDisplay(System.err, onTerminal(), logEvery);
  }

  /**
   * Whether standard input and output are a terminal. Up to JDK 21 that is {@code System.console()
   * != null}; from JDK 22 a console object exists even when output is redirected, and {@code
   * Console.isTerminal()} (looked up reflectively, as this compiles for 17) tells.
   */
  public static boolean onTerminal() {
    java.io.Console console = System.console();
    if (console == null) return false;
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 17-21: a console exists only on a terminal
    }
  }

  @Override
  public void onStep(Trainer<?> trainer, StepEvent e) {
    boolean last = e.step() >= e.totalSteps();
    if (interactive) {
      long now = System.nanoTime();
      if (!last && lastPrint != Long.MIN_VALUE && now - lastPrint < REFRESH_NANOS) return;
      lastPrint = now;
      String line = format(e);
      StringBuilder sb = new StringBuilder("\r").append(line);
      for (int i = line.length(); i < lastWidth; i++) sb.append(' ');
      lastWidth = line.length();
      out.print(sb);
      if (last) out.println();
      out.flush();
    } else if (e.step() % logEvery == 0 || last) {
      out.println(format(e));
      out.flush();
    }
  }

  /** One progress line. */
  public static String format(StepEvent e) {
    int width = Long.toString(e.totalSteps()).length();
    return String.format(Locale.ROOT, "step %" + width + "d/%d  %.2f steps/s  eta %s  loss %.4f (avg %.4f)  lr %.2e",
        e.step(), e.totalSteps(), e.stepsPerSecond(), duration(e.etaSeconds()), e.loss(), e.smoothedLoss(),
        e.learningRate());
  }

  /** 75 -> "1m15s", 3725 -> "1h02m05s". */
  public static String duration(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) return "?";
    long s = Math.round(seconds);
    if (s < 60) return s + "s";
    if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    return String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, (s % 3600) / 60, s % 60);
  }
}
