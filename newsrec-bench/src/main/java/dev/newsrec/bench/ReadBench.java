package dev.newsrec.bench;

import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.core.mind.MindFolder;
import dev.newsrec.core.mind.MindReader;
import dev.newsrec.core.mind.ReadOptions;
import dev.newsrec.core.mind.ReadReport;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a split folder's news and behaviours and reports speed and heap. {@link #inChildJvm} runs
 * it in a fresh JVM with a fixed -Xmx, so the heap figure is the reader's alone and the heap limit
 * is proven, not assumed.
 */
public final class ReadBench {
  private ReadBench() {}

  /** Child entry point: {@code ReadBench DIR}; prints one result line. */
  public static void main(String[] args) {
    MindFolder f = MindFolder.of(Path.of(args[0]));
    long t0 = System.nanoTime();
    NewsCorpus corpus = MindReader.readNews(f.news(), ReadOptions.STRICT, new ReadReport());
    long t1 = System.nanoTime();
    ReadReport r = new ReadReport();
    Impressions imps = MindReader.readBehaviors(f.behaviors(), corpus, ReadOptions.STRICT, r);
    long t2 = System.nanoTime();
    long peak = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) peak += p.getPeakUsage().getUsed();
    }
    System.gc();
    Runtime rt = Runtime.getRuntime();
    long retained = rt.totalMemory() - rt.freeMemory();
    System.out.printf(Locale.ROOT, "RESULT news=%d newsSeconds=%.3f lines=%d behaviorsSeconds=%.3f "
        + "candidates=%d peakHeapMb=%d retainedHeapMb=%d threads=%d%n", corpus.size(),
        (t1 - t0) / 1e9, r.linesRead(), (t2 - t1) / 1e9, imps.totalCandidates(), peak >> 20,
        retained >> 20, MindReader.defaultThreads());
  }

  /** Runs {@link #main} in a child JVM with the given heap limit and reports to out. */
  public static void inChildJvm(Path splitDir, String xmx, PrintStream out)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + xmx, "-XX:+UseParallelGC", "-cp",
        System.getProperty("java.class.path"), ReadBench.class.getName(), splitDir.toString()));
    String threads = System.getProperty("newsrec.read.threads");
    if (threads != null) cmd.add(1, "-Dnewsrec.read.threads=" + threads); // 1: sequential reader
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String text = new String(p.getInputStream().readAllBytes());
    int code = p.waitFor();
    String result = text.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse(null);
    if (code != 0 || result == null) {
      out.printf("read behaviours with -Xmx%s: FAILED (exit %d)%n%s", xmx, code, text);
      return;
    }
    var kv = new java.util.HashMap<String, String>();
    for (String tok : result.substring(7).split(" ")) {
      String[] a = tok.split("=");
      kv.put(a[0], a[1]);
    }
    long lines = Long.parseLong(kv.get("lines"));
    double secs = Double.parseDouble(kv.get("behaviorsSeconds"));
    out.printf(Locale.ROOT, "read news.tsv: %s news in %s s%n", kv.get("news"), kv.get("newsSeconds"));
    out.printf(Locale.ROOT, "read behaviors.tsv: %,d lines (%,d candidates) in %.2f s = %,.0f lines/s "
        + "with -Xmx%s, %s parser threads; peak heap %s MB, retained after GC %s MB%n", lines,
        Long.parseLong(kv.get("candidates")), secs, lines / secs, xmx, kv.get("threads"),
        kv.get("peakHeapMb"), kv.get("retainedHeapMb"));
  }

}
