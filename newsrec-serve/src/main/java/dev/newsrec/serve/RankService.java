package dev.newsrec.serve;

import dev.newsrec.core.data.News;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.nn.infer.NewsScoring;
import dev.newsrec.nn.infer.Scorer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The serving API in process, under the HTTP layer and the benchmark's reference: resolve a
 * request's news (ids of the corpus, or news given inline, encoded once and cached), encode only the
 * user, one dot product per candidate. Thread-safe; at most {@code threads} requests score at once,
 * each on its own {@link Scorer}.
 */
public final class RankService implements AutoCloseable {
  private final ServedModel served;
  private final NewsScoring scoring;
  private final BlockingQueue<Scorer> scorers;
  // Native work runs on these few threads only, each with its scorer: PyTorch's per-thread state and
  // the allocator's per-thread arenas stay as many as --threads, whatever the HTTP pool's size.
  private final ExecutorService workers;
  private final int maxCandidates;
  private final int maxAddedNews;
  // Public id -> corpus index; a replaced news points at its newest row.
  private final Map<String, Integer> ids = new ConcurrentHashMap<>();
  // Adding news mutates the corpus and its inputs, which scoring threads read: writers go alone.
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final UserCache users;
  // Users over news vectors (NRMS, PLM-NR) are encoded in plain Java: no native call per request.
  private final JavaUserEncoder javaUsers;
  private int added;
  private int replacements;

  final LongAdder newsHits = new LongAdder();
  final LongAdder newsMisses = new LongAdder();

  /**
   * @param threads requests scored at once (one scorer each)
   * @param userCacheSize user vectors kept by history when the user encoder reads tokens (PUNR); 0: none
   * @param maxAddedNews news that requests and POST /v1/news may add beyond the corpus
   */
  public RankService(ServedModel served, int threads, int maxCandidates, int userCacheSize, int maxAddedNews) {
    this(served, threads, maxCandidates, userCacheSize, maxAddedNews, true);
  }

  /**
   * @param javaUsers encode users in plain Java where the user encoder allows it (false: always
   *     through the model's NDArray forward pass, as {@code predict} does)
   */
  public RankService(ServedModel served, int threads, int maxCandidates, int userCacheSize, int maxAddedNews,
      boolean javaUsers) {
    this.served = served;
    this.scoring = served.scoring();
    this.maxCandidates = maxCandidates;
    this.maxAddedNews = maxAddedNews;
    this.scorers = new ArrayBlockingQueue<>(threads);
    for (int t = 0; t < threads; t++) scorers.add(scoring.scorer());
    AtomicInteger names = new AtomicInteger();
    this.workers = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "newsrec-scorer-" + names.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    NewsCorpus corpus = served.corpus();
    for (int n = 0; n < corpus.size(); n++) ids.put(corpus.id(n), n);
    this.users = served.userReadsTokens() && userCacheSize > 0 ? new UserCache(userCacheSize) : null;
    this.javaUsers = javaUsers ? JavaUserEncoder.of(served.model().model().userEncoder()) : null;
  }

  /**
   * The median time of one request of this model in ms, measured now on a scoring thread: requests
   * of the longest history the model reads and 100 candidates (fewer where the corpus or
   * --max-candidates is smaller), after two warm-up passes over the same 40 requests. Leaves the
   * hit counters as they were.
   */
  public double serviceMs() {
    NewsCorpus corpus = served.corpus();
    int size = corpus.size();
    int cands = Math.min(Math.min(100, maxCandidates), size);
    int clicks = Math.min(scoring.maxHistory() > 0 ? scoring.maxHistory() : 50, size);
    java.util.Random random = new java.util.Random(15);
    List<RankRequest> rs = new ArrayList<>();
    for (int r = 0; r < 40; r++) {
      List<NewsRef> history = new ArrayList<>();
      for (int i = 0; i < clicks; i++) history.add(NewsRef.of(corpus.id(random.nextInt(size))));
      List<NewsRef> candidates = new ArrayList<>();
      for (int i : random.ints(0, size).distinct().limit(cands).toArray()) candidates.add(NewsRef.of(corpus.id(i)));
      rs.add(new RankRequest(history, candidates, 10));
    }
    long hits = newsHits.sum();
    long misses = newsMisses.sum();
    long uh = userHits();
    long um = userMisses();
    // Two passes untimed, then the same requests timed: the steady state, with the JIT warm and the
    // clicked news' projections cached (a first pass over cold news measured 60 ms a request).
    for (int pass = 0; pass < 2; pass++) for (RankRequest r : rs) rank(r);
    double[] ms = new double[rs.size()];
    for (int r = 0; r < rs.size(); r++) {
      long t0 = System.nanoTime();
      rank(rs.get(r));
      ms[r] = (System.nanoTime() - t0) / 1e6;
    }
    newsHits.add(hits - newsHits.sum());
    newsMisses.add(misses - newsMisses.sum());
    if (users != null) {
      users.hits.add(uh - users.hits.sum());
      users.misses.add(um - users.misses.sum());
    }
    Arrays.sort(ms);
    return ms[ms.length / 2];
  }

  /** Whether users are encoded in plain Java (see {@link JavaUserEncoder}). */
  public boolean javaUsers() { return javaUsers != null; }

  public ServedModel served() { return served; }

  public int maxCandidates() { return maxCandidates; }

  /** News the server knows (corpus and added), by public id. */
  public int newsCount() { return ids.size(); }

  public int cachedVectors() { return scoring.cachedNews(); }

  /** Cached user vectors, or -1 when users are not cached (the encoder reads news vectors). */
  public int cachedUsers() { return users == null ? -1 : users.size(); }

  public long userHits() { return users == null ? 0 : users.hits.sum(); }

  public long userMisses() { return users == null ? 0 : users.misses.sum(); }

  /** Scorers busy right now. */
  public int busy() { return scorers.remainingCapacity(); }

  /** Ranks on a scoring thread; waits for it (the caller's admission bounds how many wait). */
  public RankResult rank(RankRequest request) {
    return onWorker(() -> rankHere(request));
  }

  private <T> T onWorker(java.util.concurrent.Callable<T> work) {
    Future<T> f;
    try {
      f = workers.submit(work);
    } catch (RejectedExecutionException e) {
      throw new ApiException(503, null, "the server is stopping");
    }
    try {
      return f.get();
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new ApiException(503, null, "interrupted while waiting for a scorer (the server is stopping)");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException(e.getCause());
    }
  }

  private RankResult rankHere(RankRequest request) {
    if (request.candidates() == null || request.candidates().isEmpty()) {
      throw ApiException.bad("candidates", "must hold at least one news");
    }
    if (request.candidates().size() > maxCandidates) {
      throw ApiException.bad("candidates", request.candidates().size() + " candidates, at most " + maxCandidates
          + " allowed (--max-candidates)");
    }
    List<NewsRef> history = request.history() == null ? List.of() : request.history();
    int n = request.candidates().size();
    if (request.k() != null && request.k() < 1) throw ApiException.bad("k", "must be at least 1, found " + request.k());
    int[] cands = resolve(request.candidates(), "candidates");
    Map<Integer, Integer> first = new HashMap<>();
    for (int j = 0; j < n; j++) {
      Integer before = first.putIfAbsent(cands[j], j);
      if (before != null) {
        throw ApiException.bad("candidates[" + j + "]", "'" + request.candidates().get(j).id()
            + "' is candidates[" + before + "] too; each candidate once");
      }
    }
    int[] hist = resolve(history, "history");
    int[] cut = scoring.policy().truncate(hist, scoring.maxHistory());
    float[] scores;
    Scorer s = take();
    lock.readLock().lock();
    try {
      count(cands);
      if (!served.userReadsTokens()) count(cut);
      float[] user;
      if (users != null) {
        user = users.get(cut, s);
      } else if (javaUsers != null) {
        for (int h : cut) {
          if (!scoring.isCached(h)) {
            s.newsVectors(cut);
            break;
          }
        }
        user = javaUsers.user(cut, s::newsVector);
      } else {
        user = s.user(cut);
      }
      scores = s.score(user, cands);
    } finally {
      lock.readLock().unlock();
      scorers.add(s);
    }
    return new RankResult(scores, ranking(request.candidates(), scores, request.k() == null ? n : Math.min(n, request.k())),
        cut.length);
  }

  private Scorer take() {
    try {
      return scorers.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, null, "interrupted while waiting for a scorer (the server is stopping)");
    }
  }

  private void count(int[] news) {
    for (int x : news) (scoring.isCached(x) ? newsHits : newsMisses).increment();
  }

  static List<RankResult.Ranked> ranking(List<NewsRef> candidates, float[] scores, int k) {
    Integer[] order = new Integer[scores.length];
    for (int j = 0; j < order.length; j++) order[j] = j;
    Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a])); // stable: ties keep candidate order
    List<RankResult.Ranked> out = new ArrayList<>(k);
    for (int r = 0; r < k; r++) out.add(new RankResult.Ranked(candidates.get(order[r]).id(), order[r], scores[order[r]]));
    return out;
  }

  /** Corpus indices of refs; inline news the server lacks are added (and encoded once). */
  private int[] resolve(List<NewsRef> refs, String field) {
    int[] out = new int[refs.size()];
    List<Integer> unknown = new ArrayList<>();
    for (int i = 0; i < refs.size(); i++) {
      Integer n = ids.get(refs.get(i).id());
      if (n != null) {
        out[i] = n;
      } else if (refs.get(i).inline() == null) {
        throw ApiException.bad(field + "[" + i + "]", "unknown news id '" + refs.get(i).id()
            + "': not in the served corpus; give it inline (id, title) or add it with POST /v1/news");
      } else {
        unknown.add(i);
      }
    }
    if (!unknown.isEmpty()) {
      List<News> fresh = new ArrayList<>();
      for (int i : unknown) fresh.add(refs.get(i).inline());
      add(fresh, false, field);
      for (int i : unknown) out[i] = ids.get(refs.get(i).id());
    }
    return out;
  }

  /** What POST /v1/news did. */
  public record Added(int added, int replaced, int unchanged) {}

  /** Adds news, or replaces those the server has (a new title gives a new vector); encodes them now. */
  public Added addNews(List<News> news) {
    return onWorker(() -> add(news, true, "news"));
  }

  private Added add(List<News> news, boolean replace, String field) {
    int addedNow = 0;
    int replacedNow = 0;
    int unchanged = 0;
    List<Integer> encode = new ArrayList<>();
    lock.writeLock().lock();
    try {
      for (int i = 0; i < news.size(); i++) {
        News x = news.get(i);
        Integer known = ids.get(x.id());
        if (known != null && (!replace || same(served.corpus().get(known), x))) {
          unchanged++;
          continue;
        }
        if (added >= maxAddedNews) {
          throw new ApiException(507, field + "[" + i + "]", "the server holds " + added
              + " added news, its limit (--max-added-news); restart it with a larger corpus");
        }
        // The corpus keeps the first row of an id: a replacement is a new row under an internal id.
        News row = known == null ? x : new News(x.id() + "\u0000" + (++replacements), x.category(), x.subCategory(),
            x.title(), x.abstractText(), x.url(), x.titleEntities(), x.abstractEntities());
        int n = scoring.addNews(row);
        ids.put(x.id(), n);
        encode.add(n);
        added++;
        if (known == null) addedNow++; else replacedNow++;
      }
    } finally {
      lock.writeLock().unlock();
    }
    if (!encode.isEmpty()) {
      Scorer s = take();
      lock.readLock().lock();
      try {
        s.newsVectors(encode.stream().mapToInt(Integer::intValue).toArray());
      } finally {
        lock.readLock().unlock();
        scorers.add(s);
      }
    }
    return new Added(addedNow, replacedNow, unchanged);
  }

  private static boolean same(News a, News b) {
    return a.title().equals(b.title()) && a.category().equals(b.category()) && a.subCategory().equals(b.subCategory())
        && a.titleEntities().equals(b.titleEntities());
  }

  /** The news the server holds under a public id, or null. */
  public News news(String id) {
    Integer n = ids.get(id);
    if (n == null) return null;
    lock.readLock().lock();
    try {
      return served.corpus().get(n);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void close() {
    workers.shutdown();
    try {
      workers.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Scorer s : scorers) s.close();
  }

  /** User vectors by (truncated) history, least recently used first out; for token-document user encoders. */
  private static final class UserCache {
    private final int max;
    private final LinkedHashMap<Key, float[]> map = new LinkedHashMap<>(16, 0.75f, true);
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();

    UserCache(int max) {
      this.max = max;
    }

    float[] get(int[] history, Scorer s) {
      Key key = new Key(history.clone());
      float[] v;
      synchronized (this) {
        v = map.get(key);
      }
      if (v != null) {
        hits.increment();
        return v;
      }
      misses.increment();
      v = s.user(history);
      synchronized (this) {
        map.put(key, v);
        if (map.size() > max) map.remove(map.keySet().iterator().next());
      }
      return v;
    }

    synchronized int size() { return map.size(); }

    private record Key(int[] news) {
      @Override public boolean equals(Object o) { return o instanceof Key k && Arrays.equals(news, k.news); }

      @Override public int hashCode() { return Arrays.hashCode(news); }
    }
  }
}
