package dev.newsrec.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The conditions a benchmark ran under: load, cores, allocator, OpenMP settings. */
public final class BenchEnvironment {
  private BenchEnvironment() {}

  /**
   * The command of a child JVM that runs {@code main} with this JVM's class path, DJL offline,
   * newsrec.home passed on and its own -Xmx: each bench setting in its own process, so its peak
   * RSS is its own.
   */
  /**
   * Runs each setting in its own child JVM ({@code main} with {@code args(setting)}), printing a
   * FAILED line for any that exits non-zero; returns 0, or 1 when one failed.
   */
  public static int runChildren(String heap, Class<?> main, List<String> settings,
      java.util.function.Function<String, List<String>> args)
      throws java.io.IOException, InterruptedException {
    int result = 0;
    for (String s : settings) {
      int code = new ProcessBuilder(childJvm(heap, main, args.apply(s))).inheritIO().start().waitFor();
      if (code != 0) {
        System.out.println("setting " + s + ": FAILED (exit " + code + ")");
        result = 1;
      }
    }
    return result;
  }

  public static List<String> childJvm(String heap, Class<?> main, List<String> args) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseParallelGC",
        "-Dai.djl.offline=true", "-Dnewsrec.home=" + System.getProperty("newsrec.home", "."),
        "-cp", System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(args);
    return cmd;
  }

  public static void print(PrintStream out) {
    String load = "?";
    try {
      load = Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      // not Linux
    }
    String preload = System.getenv("LD_PRELOAD");
    String allocator = preload != null && preload.contains("jemalloc") ? "jemalloc (LD_PRELOAD)"
        : "glibc malloc";
    String shim = preload != null && preload.contains("libnewsrec_mkl_cpu") ? "; MKL CPU shim on" : "";
    out.printf(Locale.ROOT, "machine: %d cores, load average %s; allocator %s%s%s%s%n",
        Runtime.getRuntime().availableProcessors(), load, allocator,
        System.getenv("MALLOC_CONF") != null ? ", MALLOC_CONF=" + System.getenv("MALLOC_CONF") : "",
        System.getenv("OMP_WAIT_POLICY") != null ? ", OMP_WAIT_POLICY=" + System.getenv("OMP_WAIT_POLICY") : "", shim);
  }
}
