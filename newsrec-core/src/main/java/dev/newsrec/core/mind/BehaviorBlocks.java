package dev.newsrec.core.mind;

import dev.newsrec.core.data.DataFormatException;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.News;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.core.mind.MindLines.Defect;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The parallel behaviors.tsv reader behind {@link MindReader#readBehaviors}: one thread cuts the
 * file into byte blocks at line ends, workers parse each block's lines with {@link MindLines} and
 * resolve ids (read-only corpus lookups) into flat per-block arrays, and the calling thread merges
 * the blocks in file order, applying the cross-line rules exactly as the sequential reader does,
 * so results, messages (the first bad line in the file) and lenient counts are the same.
 */
final class BehaviorBlocks {
  private BehaviorBlocks() {}

  /** One block's lines, parsed; a line's defect and its rare extras are kept by line index. */
  private static final class Block {
    int lines;
    int bytes; // the block's length in the file
    String[] impressionIds = new String[1024];
    String[] users = new String[1024];
    String[] texts; // open mode only: the line, to resolve its id ranges in the merge
    long[] times = new long[1024];
    boolean[] labelled = new boolean[1024];
    int[] histOff = new int[1025]; // ids, or start/end pairs in open mode
    int[] hist = new int[1 << 16];
    int[] candOff = new int[1025];
    int[] cand = new int[1 << 16];
    byte[] labels = new byte[1 << 15];
    Extra[] extras; // null until a line needs one

    void grow() {
      int cap = impressionIds.length * 2;
      impressionIds = Arrays.copyOf(impressionIds, cap);
      users = Arrays.copyOf(users, cap);
      if (texts != null) texts = Arrays.copyOf(texts, cap);
      times = Arrays.copyOf(times, cap);
      labelled = Arrays.copyOf(labelled, cap);
      histOff = Arrays.copyOf(histOff, cap + 1);
      candOff = Arrays.copyOf(candOff, cap + 1);
      if (extras != null) extras = Arrays.copyOf(extras, cap);
    }

    Extra extra(int i) {
      if (extras == null) extras = new Extra[impressionIds.length];
      if (extras[i] == null) extras[i] = new Extra();
      return extras[i];
    }
  }

  /** What few lines have: a defect, unknown ids (in line order), repeated candidates dropped. */
  private static final class Extra {
    Defect defect;
    List<String> unknownHistory;
    List<String> unknownCandidates;
    List<String> repeats;
  }

  static Impressions read(Path file, NewsCorpus corpus, ReadOptions options, ReadReport report,
      int threads, int blockBytes) {
    boolean open = corpus == null;
    NewsCorpus news = open ? new NewsCorpus() : corpus;
    boolean lenient = options.lenient();
    InputStream in;
    try {
      in = Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new DataFormatException(file, 0, null, "no such file");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    ExecutorService workers = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "behaviors-parser");
      t.setDaemon(true);
      return t;
    });
    // Bounded: the cutter waits when this many blocks are ahead of the merge, so the heap holds
    // a few blocks, never the file.
    BlockingQueue<Future<Block>> queue = new ArrayBlockingQueue<>(2 * threads + 2);
    Future<Block> end = CompletableFuture.completedFuture(null);
    Thread cutter = null;
    try (in) {
      byte[] head = new byte[3];
      int n = in.readNBytes(head, 0, 3);
      boolean bom = n == 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB
          && (head[2] & 0xff) == 0xBF;
      if (bom) report.note("removed the UTF-8 byte order mark at the start");
      byte[] prefix = bom ? new byte[0] : Arrays.copyOf(head, n);
      cutter = new Thread(() -> cut(in, prefix, blockBytes, queue, end,
          buf -> workers.submit(() -> parse(buf, lenient, open, news))), "behaviors-reader");
      cutter.setDaemon(true);
      cutter.start();
      return merge(file, news, open, options, report, queue, end);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    } finally {
      if (cutter != null) cutter.interrupt();
      workers.shutdownNow();
    }
  }

  /** A block's bytes: whole lines, buf[0, length). */
  private record Bytes(byte[] buf, int length) {}

  /**
   * Reads blocks of about blockBytes cut after their last '\n' (a longer line grows the block),
   * hands each to submit, and queues the futures in file order, then end.
   */
  private static void cut(InputStream in, byte[] prefix, int blockBytes,
      BlockingQueue<Future<Block>> queue, Future<Block> end,
      java.util.function.Function<Bytes, Future<Block>> submit) {
    try {
      try {
        byte[] buf = Arrays.copyOf(prefix, Math.max(blockBytes, prefix.length + 1));
        int len = prefix.length;
        while (true) {
          int r = in.read(buf, len, buf.length - len);
          if (r < 0) {
            if (len > 0) queue.put(submit.apply(new Bytes(buf, len)));
            break;
          }
          len += r;
          if (len < buf.length) continue;
          int cutAt = len;
          while (cutAt > 0 && buf[cutAt - 1] != '\n') cutAt--;
          if (cutAt == 0) { // no line end in the whole block: a line longer than it
            buf = Arrays.copyOf(buf, buf.length * 2);
            continue;
          }
          int rest = len - cutAt;
          byte[] next = new byte[Math.max(blockBytes, rest + 1)];
          System.arraycopy(buf, cutAt, next, 0, rest);
          queue.put(submit.apply(new Bytes(buf, cutAt)));
          buf = next;
          len = rest;
        }
        queue.put(end);
      } catch (IOException e) {
        queue.put(CompletableFuture.failedFuture(new UncheckedIOException(e)));
      }
    } catch (InterruptedException e) {
      // The merge stopped (strict mode's first bad line): nothing more to read.
    } catch (RuntimeException e) {
      queue.offer(CompletableFuture.failedFuture(e));
    }
  }

  /**
   * Splits a block into lines as BufferedReader.readLine does ('\n', '\r\n' or a lone '\r'),
   * decodes each as UTF-8 and parses it.
   */
  private static Block parse(Bytes bytes, boolean lenient, boolean open, NewsCorpus news) {
    byte[] buf = bytes.buf();
    int n = bytes.length();
    Block b = new Block();
    b.bytes = n;
    if (open) b.texts = new String[b.impressionIds.length];
    MindLines.Behavior beh = new MindLines.Behavior();
    int p = 0;
    while (p < n) {
      int e = p;
      while (e < n && buf[e] != '\n' && buf[e] != '\r') e++;
      line(b, new String(buf, p, e - p, StandardCharsets.UTF_8), beh, lenient, open, news);
      if (e + 1 < n && buf[e] == '\r' && buf[e + 1] == '\n') e++;
      p = e + 1;
    }
    return b;
  }

  private static void line(Block b, String line, MindLines.Behavior beh, boolean lenient,
      boolean open, NewsCorpus news) {
    int i = b.lines++;
    if (i == b.impressionIds.length) b.grow();
    int h = b.histOff[i];
    int c = b.candOff[i];
    try {
      MindLines.behavior(line, beh, lenient);
      b.impressionIds[i] = beh.impressionId();
      b.users[i] = beh.userId();
      b.times[i] = beh.time();
      b.labelled[i] = beh.labelled();
      if (open) b.texts[i] = line;
      int hn = beh.historyCount();
      int cn = beh.candidateCount();
      if (h + 2 * hn > b.hist.length) b.hist = Arrays.copyOf(b.hist, Math.max(h + 2 * hn, 2 * b.hist.length));
      if (c + 2 * cn > b.cand.length) b.cand = Arrays.copyOf(b.cand, Math.max(c + 2 * cn, 2 * b.cand.length));
      if (c + cn > b.labels.length) b.labels = Arrays.copyOf(b.labels, Math.max(c + cn, 2 * b.labels.length));
      for (int k = 0; k < hn; k++) {
        int s = beh.historyStart(k);
        int e = beh.historyEnd(k);
        if (open) { // resolved in the merge, which adds new ids to the corpus in file order
          b.hist[h++] = s;
          b.hist[h++] = e;
          continue;
        }
        int idx = news.indexOf(line, s, e);
        if (idx < 0) {
          Extra x = b.extra(i);
          if (x.unknownHistory == null) x.unknownHistory = new ArrayList<>();
          x.unknownHistory.add(line.substring(s, e));
        } else {
          b.hist[h++] = idx;
        }
      }
      int labelAt = b.candOff[i];
      for (int k = 0; k < cn; k++) {
        int s = beh.candidateStart(k);
        int e = beh.candidateEnd(k);
        if (open) {
          b.cand[c++] = s;
          b.cand[c++] = e;
          b.labels[labelAt++] = beh.label(k);
          continue;
        }
        int idx = news.indexOf(line, s, e);
        if (idx < 0) {
          Extra x = b.extra(i);
          if (x.unknownCandidates == null) x.unknownCandidates = new ArrayList<>();
          x.unknownCandidates.add(line.substring(s, e));
        } else {
          b.cand[c++] = idx;
          b.labels[labelAt++] = beh.label(k);
        }
      }
      if (!beh.repeats().isEmpty()) b.extra(i).repeats = new ArrayList<>(beh.repeats());
    } catch (Defect d) {
      b.extra(i).defect = d;
      h = b.histOff[i];
      c = b.candOff[i];
    }
    b.histOff[i + 1] = h;
    b.candOff[i + 1] = c;
  }

  /** Applies the cross-line rules to the blocks in file order, as the sequential reader does. */
  private static Impressions merge(Path file, NewsCorpus news, boolean open, ReadOptions options,
      ReadReport report, BlockingQueue<Future<Block>> queue, Future<Block> end) {
    Impressions.Builder out = Impressions.builder(news);
    MindReader.FirstLines seen = new MindReader.FirstLines();
    Boolean fileLabelled = null;
    int[] history = new int[256];
    int[] cands = new int[512];
    byte[] labels = new byte[512];
    long no = 0;
    long fileBytes = fileSize(file);
    boolean reserved = false;
    while (true) {
      Block b = next(file, queue, end);
      if (b == null) break;
      if (!reserved && b.bytes > 0 && fileBytes > 2L * b.bytes) {
        // Sized from the first block: the builder grows once, not at every doubling.
        double scale = 1.03 * fileBytes / b.bytes;
        long candidates = open ? b.candOff[b.lines] / 2 : b.candOff[b.lines];
        out.reserve((int) Math.min(Integer.MAX_VALUE - 16, b.lines * scale + 64),
            (long) (candidates * scale) + 1024);
      }
      reserved = true;
      for (int i = 0; i < b.lines; i++) {
        no++;
        report.line();
        Extra x = b.extras == null ? null : b.extras[i];
        try {
          if (x != null && x.defect != null) throw x.defect;
          String impressionId = b.impressionIds[i];
          long first = seen.line(impressionId);
          if (first > 0) {
            throw new Defect("ImpressionID", ReadReport.DUPLICATE_IMPRESSION,
                "duplicate impression id " + impressionId + " (first on line " + first + ")");
          }
          int[] hs = b.hist;
          int h0 = b.histOff[i];
          int h1 = b.histOff[i + 1];
          int[] cs = b.cand;
          byte[] ls = b.labels;
          int c0 = b.candOff[i];
          int c1 = b.candOff[i + 1];
          if (open) {
            String line = b.texts[i];
            int h = 0;
            for (int k = h0; k < h1; k += 2) {
              if (h == history.length) history = Arrays.copyOf(history, h * 2);
              history[h++] = resolve(news, line, hs[k], hs[k + 1]);
            }
            int c = 0;
            for (int k = c0, j = c0; k < c1; k += 2, j++) {
              if (c == cands.length) {
                cands = Arrays.copyOf(cands, c * 2);
                labels = Arrays.copyOf(labels, c * 2);
              }
              labels[c] = b.labels[j];
              cands[c++] = resolve(news, line, cs[k], cs[k + 1]);
            }
            hs = history;
            h0 = 0;
            h1 = h;
            cs = cands;
            ls = labels;
            c0 = 0;
            c1 = c;
          }
          if (x != null && x.unknownHistory != null) x.unknownHistory.forEach(report::unknownHistory);
          if (x != null && x.unknownCandidates != null) {
            x.unknownCandidates.forEach(report::unknownCandidate);
            throw new Defect("Impressions", "unknown news id '" + x.unknownCandidates.get(0)
                + "' (not in the news.tsv files read)");
          }
          boolean labelled = b.labelled[i];
          if (fileLabelled == null) fileLabelled = labelled;
          if (fileLabelled != labelled) {
            throw new Defect("Impressions", fileLabelled
                ? "candidates without labels in a labelled file"
                : "candidates with labels in a file whose first line has none");
          }
          if (x != null && x.repeats != null) {
            for (String problem : x.repeats) {
              report.defect(ReadReport.DUPLICATE_CANDIDATE,
                  new DataFormatException(file, no, "Impressions", problem).getMessage());
            }
          }
          // Candidates and labels share indexes in closed mode; open mode copied both to 0..c.
          out.add(impressionId, b.users[i], b.times[i], hs, h0, h1, cs, c0, c1, ls,
              open ? 0 : c0);
          seen.add(impressionId, no);
          report.record();
        } catch (Defect e) {
          MindReader.fail(file, no, e, options, report);
        }
      }
    }
    if (seen.size() == 0) MindReader.empty(file, "no impressions", options, report);
    return out.build();
  }

  private static long fileSize(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1; // only an estimate: without it the builder grows as it goes
    }
  }

  private static int resolve(NewsCorpus news, String line, int s, int e) {
    int idx = news.indexOf(line, s, e);
    return idx >= 0 ? idx : news.add(News.of(line.substring(s, e), "", "", ""));
  }

  private static Block next(Path file, BlockingQueue<Future<Block>> queue, Future<Block> end) {
    try {
      Future<Block> f = queue.take();
      return f == end ? null : f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + file, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof UncheckedIOException u) {
        throw new UncheckedIOException("cannot read " + file + ": " + u.getCause().getMessage(),
            u.getCause());
      }
      if (cause instanceof RuntimeException r) throw r;
      if (cause instanceof Error err) throw err;
      throw new IllegalStateException(cause);
    }
  }
}
