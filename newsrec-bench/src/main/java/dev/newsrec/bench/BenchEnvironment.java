package dev.newsrec.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The conditions a benchmark ran under: load, cores, allocator, OpenMP settings. */
public final class BenchEnvironment {
  private BenchEnvironment() {}

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
