package dev.newsrec.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The plain-PyTorch reference ({@code newsrec-bench/scripts/torch_reference.py}) run as a child process in its
 * {@code --serve} mode: it builds and warms up its case, then runs one timed iteration per
 * {@link #runOnce()}, so a benchmark can alternate its own iterations with the reference's. The
 * child inherits this process's environment, hence the same allocator (LD_PRELOAD jemalloc) and
 * OpenMP settings; the thread count is passed explicitly.
 */
public final class TorchReference implements AutoCloseable {
  /** The interpreter that has Debian's python3-torch (not a pyenv or venv python3). */
  public static final String PYTHON = System.getProperty("newsrec.python", "/usr/bin/python3");

  private static final Pattern SECONDS = Pattern.compile("\"seconds\":\\s*([0-9.eE+-]+)");
  private static final Pattern TORCH = Pattern.compile("\"torch\":\\s*\"([^\"]*)\"");

  private final Process process;
  private final BufferedReader in;
  private final Writer out;
  private final String torchVersion;
  private String ready = "";

  private TorchReference(Process process, BufferedReader in, Writer out, String torchVersion) {
    this.process = process;
    this.in = in;
    this.out = out;
    this.torchVersion = torchVersion;
  }

  /** The script, from {@code -Dnewsrec.home} (the launcher sets it) or the working directory. */
  public static Path script() {
    String home = System.getProperty("newsrec.home", ".");
    return Path.of(home, "newsrec-bench", "scripts", "torch_reference.py");
  }

  /**
   * Why the reference cannot run here (no python, no torch, no script), with how to install it;
   * empty when it can.
   */
  public static Optional<String> unavailable() {
    if (!Files.isRegularFile(script())) {
      return Optional.of("the PyTorch reference script " + script() + " is missing");
    }
    if (!Files.isExecutable(Path.of(PYTHON))) {
      return Optional.of(PYTHON + " not found; install the PyTorch reference with "
          + "newsrec-bench/scripts/setup-python.sh (as root)");
    }
    try {
      Process p = new ProcessBuilder(PYTHON, "-c", "import torch").redirectErrorStream(true)
          .start();
      p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return Optional.of("torch is not importable by " + PYTHON + "; install the PyTorch "
            + "reference with newsrec-bench/scripts/setup-python.sh (as root)");
      }
    } catch (IOException e) {
      return Optional.of("cannot run " + PYTHON + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
    return Optional.empty();
  }

  /**
   * Starts the reference: {@code args} are the script's mode and options (without --serve);
   * returns once it has warmed up.
   */
  public static TorchReference start(List<String> args) {
    List<String> cmd = new ArrayList<>(List.of(PYTHON, script().toString()));
    cmd.addAll(args);
    cmd.add("--serve");
    try {
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      BufferedReader in = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      Writer out = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
      String ready = in.readLine();
      if (ready == null || !ready.contains("\"ready\"")) {
        p.destroy();
        throw new IllegalStateException("the PyTorch reference did not start: " + cmd);
      }
      Matcher m = TORCH.matcher(ready);
      TorchReference r = new TorchReference(p, in, out, m.find() ? m.group(1) : "?");
      r.ready = ready;
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String torchVersion() {
    return torchVersion;
  }

  /** A number of the reference's ready line (e.g. check_loss), or NaN when it has none. */
  public double readyNumber(String field) {
    Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\":\\s*([0-9.eE+-]+)").matcher(ready);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  /** The reference process's peak resident memory so far (ru_maxrss), in bytes. */
  public long peakRss() {
    try {
      out.write("rss\n");
      out.flush();
      String line = in.readLine();
      Matcher m = line == null ? null : Pattern.compile("\"peak_rss_bytes\":\\s*([0-9]+)").matcher(line);
      if (m == null || !m.find()) {
        throw new IllegalStateException("the PyTorch reference stopped (answer: " + line + ")");
      }
      return Long.parseLong(m.group(1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One timed iteration in the reference; returns its seconds (measured by the reference). */
  public double runOnce() {
    try {
      out.write("run\n");
      out.flush();
      String line = in.readLine();
      Matcher m = line == null ? null : SECONDS.matcher(line);
      if (m == null || !m.find()) {
        throw new IllegalStateException("the PyTorch reference stopped (answer: " + line + ")");
      }
      return Double.parseDouble(m.group(1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      out.write("quit\n");
      out.flush();
      out.close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroy();
      }
    } catch (IOException e) {
      process.destroy();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroy();
    }
  }
}
