package dev.newsrec.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.newsrec.core.UserException;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.News;
import dev.newsrec.nn.Engines;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP front of a {@link RankService} on Javalin (Jetty): JSON API under /v1, /health and
 * /metrics. It listens before the model is loaded, so /health can say "loading"; {@link #ready}
 * hands it the model. Scoring requests are admitted up to threads + queue at once; past that they
 * get 503 with Retry-After at once, so latency and memory stay bounded under overload.
 */
public final class ServeServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Set on a request once a handler wrote its JSON answer (the 404 handler leaves those alone). */
  private static final String ANSWERED = "newsrec.answered";

  /**
   * @param threads requests scored at once
   * @param queue scoring requests that may wait for a thread; more get 503. {@link #AUTO_QUEUE}: sized
   *     when the model is ready from its measured service time, so that a request waits at most about
   *     maxWaitMs for a thread
   * @param maxWaitMs the wait an auto-sized queue allows; a scoring request that already waited
   *     longer for a server thread before it was handled gets 503 too
   * @param token bearer token for writes (null: none; then the server must bind to loopback)
   * @param userCache user vectors cached by history for token-document user encoders (PUNR)
   */
  public record Options(String host, int port, int threads, int queue, int maxCandidates, long maxBodyBytes,
      String token, int userCache, int maxAddedNews, double maxWaitMs) {
    /** The queue sized from the measured service time (see {@code queue}). */
    public static final int AUTO_QUEUE = -1;
    /** The most an auto-sized queue holds (and what sizes the HTTP thread pool for it). */
    public static final int MAX_AUTO_QUEUE = 64;

    public static Options defaults() {
      return new Options("127.0.0.1", 8080, Runtime.getRuntime().availableProcessors(), AUTO_QUEUE, 1000, 1 << 20, null,
          100_000, 100_000, 10);
    }

    public Options withPort(int p) {
      return new Options(host, p, threads, queue, maxCandidates, maxBodyBytes, token, userCache, maxAddedNews, maxWaitMs);
    }

    public Options withThreads(int t, int q) {
      return new Options(host, port, t, q, maxCandidates, maxBodyBytes, token, userCache, maxAddedNews, maxWaitMs);
    }

    public Options withLimits(int candidates, long body) {
      return new Options(host, port, threads, queue, candidates, body, token, userCache, maxAddedNews, maxWaitMs);
    }

    public Options withMaxWait(double ms) {
      return new Options(host, port, threads, queue, maxCandidates, maxBodyBytes, token, userCache, maxAddedNews, ms);
    }

    public Options withHost(String h, String t) {
      return new Options(h, port, threads, queue, maxCandidates, maxBodyBytes, t, userCache, maxAddedNews, maxWaitMs);
    }
  }

  private final Options options;
  private final Consumer<String> log;
  private final ServeMetrics metrics = new ServeMetrics();
  // Sized when the model is ready (the queue may depend on its service time); until then scoring
  // requests get 503 "loading" before they reach it.
  private volatile Semaphore admission;
  private volatile int queue;
  private final AtomicInteger admitted = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Javalin app;
  private volatile RankService service;
  private volatile Impressions impressions;
  private volatile Map<String, Integer> impressionIndex = Map.of();
  private volatile boolean stopping;
  private volatile boolean stopped;

  private ServeServer(Options options, Consumer<String> log) {
    this.options = options;
    this.log = log;
    this.queue = options.queue() < 0 ? Options.MAX_AUTO_QUEUE : options.queue();
    this.admission = new Semaphore(options.threads() + queue);
    int jettyThreads = Math.max(16, options.threads() + queue + 8);
    app = Javalin.create(c -> {
      c.showJavalinBanner = false;
      c.startupWatcherEnabled = false;
      c.http.maxRequestSize = options.maxBodyBytes();
      // Admission keeps scoring requests below the pool size, so a thread is always free to say 503;
      // Jetty's own job queue is bounded too, never a heap-sized backlog.
      c.jetty.threadPool = new QueuedThreadPool(jettyThreads, Math.min(8, jettyThreads), 60_000,
          new BlockingArrayQueue<>(1024, 0, 1024));
    });
    route(HandlerType.GET, "/health", "health", false, this::health);
    route(HandlerType.GET, "/metrics", "metrics", false,
        ctx -> ctx.contentType(metrics.contentType()).result(metrics.scrape()));
    route(HandlerType.GET, "/v1/openapi.json", "openapi", false,
        ctx -> ctx.contentType("application/json").result(openApi()));
    route(HandlerType.GET, "/v1/model", "model", false, ctx -> json(ctx, 200, model(ready())));
    route(HandlerType.POST, "/v1/rank", "rank", true, this::rank);
    route(HandlerType.POST, "/v1/news", "news", true, this::addNews);
    // The inspection page and the read-only look-ups it needs.
    route(HandlerType.GET, "/", "page", false, ctx -> ctx.contentType("text/html; charset=utf-8").result(page()));
    route(HandlerType.GET, "/v1/impressions", "impressions", false, this::impressions);
    route(HandlerType.GET, "/v1/impressions/{id}", "impression", false, this::impression);
    route(HandlerType.GET, "/v1/news", "news_lookup", false, this::newsLookup);
    // An unmatched path ends in 404 without a body: say so. (An unknown impression is a 404 with its own.)
    app.error(404, ctx -> {
      if (ctx.attribute(ANSWERED) == null) {
        json(ctx, 404, error(404, null, "no such endpoint: " + ctx.method() + " " + ctx.path() + " (see /v1/openapi.json)"));
      }
    });
    app.exception(Exception.class, (e, ctx) -> {
      log.accept("error: " + ctx.method() + " " + ctx.path() + ": " + e);
      json(ctx, 500, error(500, null, "internal error (logged by the server)"));
    });
    metrics.gauge("newsrec_queue_depth", "Scoring requests admitted and waiting for a thread",
        () -> Math.max(0, admitted.get() - busy()));
    metrics.gauge("newsrec_scoring_busy", "Scoring threads busy", this::busy);
    metrics.gauge("newsrec_news", "News the server knows (corpus and added)",
        () -> service == null ? 0 : service.newsCount());
    metrics.gauge("newsrec_news_vectors_cached", "News vectors in the cache",
        () -> service == null ? 0 : service.cachedVectors());
    metrics.counter("newsrec_news_vector_hits_total", "News vector look-ups served from the cache",
        () -> service == null ? 0 : service.newsHits.sum());
    metrics.counter("newsrec_news_vector_misses_total", "News vector look-ups that had to encode the news",
        () -> service == null ? 0 : service.newsMisses.sum());
    metrics.gauge("newsrec_news_vector_hit_ratio", "Share of news vector look-ups served from the cache", () -> {
      if (service == null) return 0;
      double h = service.newsHits.sum();
      double m = service.newsMisses.sum();
      return h + m == 0 ? 1 : h / (h + m);
    });
    metrics.gauge("newsrec_user_vectors_cached", "User vectors cached by history (token-document user encoders only)",
        () -> service == null ? 0 : Math.max(0, service.cachedUsers()));
    metrics.counter("newsrec_user_vector_hits_total", "User vector look-ups served from the cache",
        () -> service == null ? 0 : service.userHits());
    metrics.counter("newsrec_user_vector_misses_total", "User vector look-ups that had to encode the user",
        () -> service == null ? 0 : service.userMisses());
  }

  /** Binds (refusing a non-loopback address without a token) and answers /health with "loading". */
  public static ServeServer start(Options options, Consumer<String> log) {
    if (options.token() == null && !isLoopback(options.host())) {
      throw new UserException("--host " + options.host() + " binds beyond loopback; the write endpoint "
          + "(POST /v1/news) would be open to anyone: give --token-file");
    }
    ServeServer s = new ServeServer(options, log);
    try {
      s.app.start(options.host(), options.port());
    } catch (RuntimeException e) {
      throw new UserException("cannot listen on " + options.host() + ":" + options.port() + ": "
          + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
    }
    return s;
  }

  static boolean isLoopback(String host) {
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) if (!a.isLoopbackAddress()) return false;
      return true;
    } catch (UnknownHostException e) {
      throw new UserException("--host " + host + ": unknown host");
    }
  }

  /** Reads a bearer token from a file (first line, trimmed); it must not be empty. */
  public static String readToken(Path file) {
    try {
      String t = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (t.isEmpty() || t.contains("\n")) throw new UserException("--token-file " + file + ": expected one line holding the token");
      return t;
    } catch (IOException e) {
      throw new UserException("--token-file " + file + ": cannot read: " + e.getMessage());
    }
  }

  /** Serves the model from now on: /health turns ready; logs one line with model, corpus and address. */
  public void ready(ServedModel served) {
    ready(served, null);
  }

  /**
   * Hands the server its model and, for the inspection page, labelled impressions over the
   * model's corpus (null: none; the page then ranks typed ids only).
   */
  public void ready(ServedModel served, Impressions impressions) {
    this.impressions = impressions;
    if (impressions != null) {
      impressionIndex = new HashMap<>();
      for (int i = 0; i < impressions.size(); i++) impressionIndex.put(impressions.impressionId(i), i);
    }
    // One intra-op thread per request: requests run side by side on --threads, and a small op split
    // over cores waits on thread wake-ups (measured 0.3-0.4 ms vs 8-14 ms per request, loaded machine).
    Engines.setThreads(1);
    RankService s = new RankService(served, options.threads(), options.maxCandidates(), options.userCache(),
        options.maxAddedNews());
    String sizing = "";
    if (options.queue() < 0) {
      double ms = s.serviceMs();
      queue = autoQueue(options.threads(), options.maxWaitMs(), ms);
      admission = new Semaphore(options.threads() + queue);
      sizing = String.format(" (auto: %d threads x %.0f ms wait / %.2f ms a request, measured)", options.threads(),
          options.maxWaitMs(), ms);
    }
    service = s;
    log.accept(String.format("serving %s model of %s%s: %d news at %s (threads %d, queue %d%s%s)", served.type(),
        served.runDir(), served.seed() == null ? "" : " (" + served.seed() + ")", served.corpusSize(), uri(),
        options.threads(), queue, sizing, s.javaUsers() ? "; users encoded in plain Java" : ""));
  }

  public RankService service() { return service; }

  /**
   * The queue that keeps a request's wait for a thread under maxWaitMs: k requests ahead on t
   * threads wait about k / t service times. At least 1, at most {@link Options#MAX_AUTO_QUEUE}.
   */
  static int autoQueue(int threads, double maxWaitMs, double serviceMs) {
    return (int) Math.max(1, Math.min(Options.MAX_AUTO_QUEUE, Math.floor(threads * maxWaitMs / serviceMs)));
  }

  /** Scoring requests that may wait for a thread (auto-sized once the model is ready). */
  public int queue() { return queue; }

  public int port() { return app.port(); }

  public URI uri() {
    String h = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
    return URI.create("http://" + h + ":" + port());
  }

  /**
   * Stops: new requests are refused (503), those in flight finish (up to drain), then the
   * listener closes and the scorers' native memory is freed.
   */
  public synchronized void stop(Duration drain) {
    if (stopped) return;
    stopping = true;
    long deadline = System.nanoTime() + drain.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    int left = inFlight.get();
    app.stop();
    if (service != null && left == 0) service.close(); // a request still scoring owns a scorer
    stopped = true;
    log.accept("stopped" + (left > 0 ? " (" + left + " requests still running after " + drain.toSeconds() + " s)" : ""));
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }

  /** Tests: occupies n admission slots, as n queued scoring requests would. */
  void occupy(int n) {
    admission.acquireUninterruptibly(n);
    admitted.addAndGet(n);
  }

  void vacate(int n) {
    admitted.addAndGet(-n);
    admission.release(n);
  }

  /** Tests: counts d more (or fewer) requests in flight, as a slow request would. */
  void inFlight(int d) {
    inFlight.addAndGet(d);
  }

  private int busy() {
    return service == null ? 0 : service.busy();
  }

  @FunctionalInterface
  private interface Handler {
    void handle(Context ctx) throws Exception;
  }

  private void route(HandlerType method, String path, String name, boolean scoring, Handler h) {
    app.addHttpHandler(method, path, ctx -> {
      long t0 = System.nanoTime();
      inFlight.incrementAndGet();
      boolean admittedHere = false;
      try {
        if (stopping) {
          ctx.header("Retry-After", "1");
          throw new ApiException(503, null, "the server is stopping");
        }
        if (scoring) {
          ready();
          // A request that already waited past the bound before it reached this handler (the
          // thread pool's queue, when the server cannot keep up) is refused as well: served now it
          // would be late anyway, and answering 503 quickly is what drains the backlog.
          long waited = System.currentTimeMillis() - org.eclipse.jetty.server.Request.getBaseRequest(ctx.req()).getTimeStamp();
          if (waited > options.maxWaitMs()) {
            ctx.header("Retry-After", "1");
            throw new ApiException(503, null, "overloaded: the request waited " + waited + " ms for a server thread (over "
                + options.maxWaitMs() + " ms, --max-wait-ms); retry later");
          }
          if (!admission.tryAcquire()) {
            ctx.header("Retry-After", "1");
            throw new ApiException(503, null, "overloaded: " + (options.threads() + queue)
                + " requests are being scored or queued (--threads, --queue); retry later");
          }
          admittedHere = true;
          admitted.incrementAndGet();
        }
        h.handle(ctx);
      } catch (ApiException e) {
        json(ctx, e.status(), error(e.status(), e.field(), e.getMessage()));
      } catch (Exception e) {
        log.accept("error: " + ctx.method() + " " + ctx.path() + ": " + e);
        json(ctx, 500, error(500, null, "internal error (logged by the server)"));
      } finally {
        if (admittedHere) {
          admitted.decrementAndGet();
          admission.release();
        }
        metrics.observe(name, ctx.statusCode(), System.nanoTime() - t0);
        inFlight.decrementAndGet();
      }
    });
  }

  private RankService ready() {
    RankService s = service;
    if (s == null) {
      throw new ApiException(503, null, "loading: the model and its news vectors are not ready yet (see /health)");
    }
    return s;
  }

  private void health(Context ctx) {
    ObjectNode o = JSON.createObjectNode();
    RankService s = service;
    String status = stopping ? "stopping" : s == null ? "loading" : "ready";
    o.put("status", status);
    if (s != null) {
      o.put("model", s.served().type());
      o.put("news", s.newsCount());
      o.put("vectors", s.cachedVectors());
    }
    json(ctx, status.equals("ready") ? 200 : 503, o);
  }

  private void rank(Context ctx) {
    RankService s = ready();
    RankRequest request = Requests.rank(Requests.parse(body(ctx)));
    RankResult r = s.rank(request);
    ObjectNode o = JSON.createObjectNode();
    o.put("model", s.served().type());
    o.put("history_used", r.historyUsed());
    ArrayNode ranking = o.putArray("ranking");
    for (RankResult.Ranked x : r.ranking()) {
      ranking.addObject().put("id", x.id()).put("score", x.score()).put("candidate", x.candidate());
    }
    ArrayNode scores = o.putArray("scores");
    for (float f : r.scores()) scores.add(f);
    json(ctx, 200, o);
  }

  /** GET /v1/impressions?offset=&limit=: one line per impression the server was given. */
  private void impressions(Context ctx) {
    ready();
    Impressions imps = impressions;
    int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    int limit = intParam(ctx, "limit", 100, 1, 1000);
    ObjectNode o = JSON.createObjectNode();
    o.put("total", imps == null ? 0 : imps.size());
    ArrayNode list = o.putArray("impressions");
    for (int i = offset; imps != null && i < imps.size() && i < (long) offset + limit; i++) {
      int clicks = 0;
      for (int j = 0; j < imps.candidateCount(i); j++) if (imps.label(i, j) == 1) clicks++;
      list.addObject().put("id", imps.impressionId(i)).put("user", imps.userId(i))
          .put("history", imps.history(i).length).put("candidates", imps.candidateCount(i))
          .put("clicks", imps.labelled() ? clicks : -1);
    }
    json(ctx, 200, o);
  }

  /** GET /v1/impressions/{id}: its history (oldest first) and candidates, with titles and labels. */
  private void impression(Context ctx) {
    RankService s = ready();
    Impressions imps = impressions;
    String id = ctx.pathParam("id");
    Integer i = impressionIndex.get(id);
    if (imps == null || i == null) {
      throw new ApiException(404, "id", "no impression '" + id + "'"
          + (imps == null ? ": the server was started without impressions (--impressions)" : ""));
    }
    ObjectNode o = JSON.createObjectNode();
    o.put("id", id).put("user", imps.userId(i)).put("time", dev.newsrec.core.mind.MindTime.format(imps.time(i)));
    ArrayNode h = o.putArray("history");
    for (int n : imps.history(i)) h.add(newsJson(s, imps.corpus().id(n)));
    ArrayNode c = o.putArray("candidates");
    for (int j = 0; j < imps.candidateCount(i); j++) {
      ObjectNode x = newsJson(s, imps.corpus().id(imps.candidate(i, j)));
      if (imps.labelled()) x.put("clicked", imps.label(i, j) == 1);
      c.add(x);
    }
    json(ctx, 200, o);
  }

  /** GET /v1/news?ids=a,b,c: titles and categories of the news the server holds. */
  private void newsLookup(Context ctx) {
    RankService s = ready();
    String ids = ctx.queryParam("ids");
    if (ids == null || ids.isBlank()) throw ApiException.bad("ids", "give news ids, comma-separated: /v1/news?ids=N1,N2");
    String[] list = ids.split(",");
    if (list.length > options.maxCandidates() + 1000) {
      throw ApiException.bad("ids", list.length + " ids; at most " + (options.maxCandidates() + 1000));
    }
    ObjectNode o = JSON.createObjectNode();
    ArrayNode out = o.putArray("news");
    for (int k = 0; k < list.length; k++) {
      String id = list[k].strip();
      if (s.news(id) == null) throw ApiException.bad("ids[" + k + "]", "unknown news id '" + id + "'");
      out.add(newsJson(s, id));
    }
    json(ctx, 200, o);
  }

  private static ObjectNode newsJson(RankService s, String id) {
    News n = s.news(id);
    ObjectNode o = JSON.createObjectNode().put("id", id);
    if (n != null) o.put("title", n.title()).put("category", n.category()).put("subcategory", n.subCategory());
    return o;
  }

  private static int intParam(Context ctx, String name, int fallback, int min, int max) {
    String v = ctx.queryParam(name);
    if (v == null) return fallback;
    try {
      int x = Integer.parseInt(v.strip());
      if (x < min || x > max) throw ApiException.bad(name, "must be in [" + min + ", " + max + "], found " + x);
      return x;
    } catch (NumberFormatException e) {
      throw ApiException.bad(name, "expected an integer, found '" + v + "'");
    }
  }

  private static volatile byte[] page;

  static byte[] page() {
    if (page == null) {
      try (InputStream in = ServeServer.class.getResourceAsStream("inspect.html")) {
        if (in == null) throw new IllegalStateException("inspect.html missing from the jar");
        page = in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return page;
  }

  private void addNews(Context ctx) {
    RankService s = ready();
    if (options.token() != null) authorise(ctx);
    RankService.Added a = s.addNews(Requests.newsList(Requests.parse(body(ctx))));
    ObjectNode o = JSON.createObjectNode();
    o.put("added", a.added()).put("replaced", a.replaced()).put("unchanged", a.unchanged()).put("news", s.newsCount());
    json(ctx, 200, o);
  }

  private void authorise(Context ctx) {
    String h = ctx.header("Authorization");
    byte[] want = ("Bearer " + options.token()).getBytes(StandardCharsets.UTF_8);
    if (h == null || !MessageDigest.isEqual(want, h.getBytes(StandardCharsets.UTF_8))) {
      ctx.header("WWW-Authenticate", "Bearer");
      throw new ApiException(401, "Authorization", "writes need the header 'Authorization: Bearer TOKEN' (the server's --token-file)");
    }
  }

  /** The body, read up to the limit: a larger one (with or without Content-Length) is 413. */
  private byte[] body(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    long max = options.maxBodyBytes();
    if (declared > max) throw new ApiException(413, null, "body of " + declared + " bytes; at most " + max + " allowed (--max-body)");
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
      if (b.length > max) throw new ApiException(413, null, "body over " + max + " bytes (--max-body)");
      return b;
    } catch (IOException e) {
      throw ApiException.bad(null, "cannot read the body: " + e.getMessage());
    }
  }

  private ObjectNode model(RankService s) {
    ServedModel m = s.served();
    ObjectNode o = JSON.createObjectNode();
    o.put("type", m.type());
    o.put("run", m.runDir().toString());
    if (m.seed() != null) o.put("seed", m.seed());
    o.put("checksum", m.checksum());
    o.set("options", m.manifest().path("options"));
    if (m.manifest().has("plm")) o.set("plm", m.manifest().get("plm"));
    if (m.manifest().has("provenance")) o.set("provenance", m.manifest().get("provenance"));
    ObjectNode h = o.putObject("history");
    h.put("max", m.scoring().maxHistory()).put("policy", m.scoring().policy().name().toLowerCase());
    o.put("dim", m.scoring().dim());
    ObjectNode c = o.putObject("corpus");
    c.put("news", m.corpusSize());
    c.put("served", s.newsCount());
    c.put("vectors", s.cachedVectors());
    ArrayNode files = c.putArray("files");
    for (Path f : m.newsFiles()) files.add(f.toString());
    ObjectNode lim = o.putObject("limits");
    lim.put("max_candidates", options.maxCandidates()).put("max_body_bytes", options.maxBodyBytes())
        .put("threads", options.threads()).put("queue", queue);
    return o;
  }

  static ObjectNode error(int status, String field, String message) {
    ObjectNode o = JSON.createObjectNode();
    o.put("status", status);
    if (field != null) o.put("field", field);
    o.put("error", message);
    return o;
  }

  private static void json(Context ctx, int status, Object body) {
    try {
      ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
      ctx.attribute(ANSWERED, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static volatile byte[] openApi;

  static byte[] openApi() {
    if (openApi == null) {
      try (InputStream in = ServeServer.class.getResourceAsStream("openapi.json")) {
        openApi = in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return openApi;
  }

  /** The endpoints this server answers, as "METHOD path" (the OpenAPI test holds the file to them). */
  static List<String> endpoints() {
    return List.of("GET /health", "GET /metrics", "GET /v1/openapi.json", "GET /v1/model", "POST /v1/rank",
        "POST /v1/news", "GET /", "GET /v1/impressions", "GET /v1/impressions/{id}", "GET /v1/news");
  }
}
