package dev.newsrec.app;

import dev.newsrec.core.UserException;
import dev.newsrec.serve.ServeServer;
import dev.newsrec.serve.ServedModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code newsrec serve --run RUN}: the HTTP server (see newsrec-serve). */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve a trained neural run over HTTP: POST /v1/rank, POST /v1/news, GET /v1/model, "
        + "/v1/openapi.json, /health, /metrics. News vectors of the whole corpus are computed at start-up "
        + "(or read with --vectors); a request encodes only its user. Stops cleanly on SIGTERM.")
public final class ServeCommand implements Callable<Integer> {
  @Option(names = "--run", required = true, description = "Run folder made by 'newsrec train' (a multi-seed folder: see --seed)")
  Path runDir;

  @Option(names = "--seed", description = "Which seed of a multi-seed run to serve (default: the first)")
  Long seed;

  @Option(names = "--news", arity = "1..*", description = "news.tsv files of the corpus (default: the run's training and dev news.tsv, from its config.yaml)")
  List<Path> news = new ArrayList<>();

  @Option(names = "--vectors", description = "News vectors written by 'newsrec predict --vectors' for this model (checked against its checksum); news it lacks are encoded")
  Path vectors;

  @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}); beyond loopback needs --token-file")
  String host = "127.0.0.1";

  @Option(names = "--port", description = "Port (default: ${DEFAULT-VALUE}; 0: any free port)")
  int port = 8080;

  @Option(names = "--threads", description = "Requests scored at once (default: the cores, ${DEFAULT-VALUE})")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--queue", description = "Scoring requests that may wait for a thread; more get 503 + Retry-After. auto: sized from the model's service time, measured at start, so that a request waits at most --max-wait-ms (default: ${DEFAULT-VALUE})")
  String queue = "auto";

  @Option(names = "--max-wait-ms", description = "The longest a scoring request should wait, in ms: sizes --queue auto, and a request that already waited longer for a server thread before it was handled gets 503 (default: ${DEFAULT-VALUE})")
  double maxWaitMs = 10;

  @Option(names = "--max-candidates", description = "Candidates per request at most (default: ${DEFAULT-VALUE})")
  int maxCandidates = 1000;

  @Option(names = "--max-body", description = "Request body size at most, in bytes (default: ${DEFAULT-VALUE})")
  long maxBody = 1 << 20;

  @Option(names = "--max-added-news", description = "News that requests and POST /v1/news may add beyond the corpus (default: ${DEFAULT-VALUE})")
  int maxAddedNews = 100_000;

  @Option(names = "--user-cache", description = "User vectors cached by history, for user encoders over a token document (PUNR) (default: ${DEFAULT-VALUE})")
  int userCache = 100_000;

  @Option(names = "--impressions", description = "A behaviors.tsv whose impressions the inspection page at / lists (default: the run's dev split, when its config names one)")
  Path impressions;

  @Option(names = "--token-file", description = "File holding the bearer token that POST /v1/news requires (needed to bind beyond loopback)")
  Path tokenFile;

  @Override
  public Integer call() throws InterruptedException {
    if (threads < 1) throw new UserException("--threads: must be at least 1, found " + threads);
    int queueSize = parseQueue(queue);
    if (!(maxWaitMs > 0)) throw new UserException("--max-wait-ms: must be positive, found " + maxWaitMs);
    if (maxCandidates < 1) throw new UserException("--max-candidates: must be at least 1, found " + maxCandidates);
    if (maxBody < 64) throw new UserException("--max-body: must be at least 64 bytes, found " + maxBody);
    if (port < 0 || port > 65535) throw new UserException("--port: must be in [0, 65535], found " + port);
    String token = tokenFile == null ? null : ServeServer.readToken(tokenFile);
    ServeServer.Options options = new ServeServer.Options(host, port, threads, queueSize, maxCandidates, maxBody, token,
        userCache, maxAddedNews, maxWaitMs);
    if (impressions != null && !java.nio.file.Files.isRegularFile(impressions)) {
      throw new UserException("--impressions: " + impressions + ": no such file");
    }
    ServedModel.checkRun(runDir, seed, news); // a bad run or --news fails before anything binds
    ServeServer server = ServeServer.start(options, System.err::println);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      server.stop(Duration.ofSeconds(30));
      stopped.countDown();
    }, "newsrec-serve-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      ServedModel served = ServedModel.load(runDir, seed, news, vectors, System.err::println);
      Path behaviors = impressions != null ? impressions : served.devBehaviors();
      server.ready(served, behaviors == null ? null : served.impressions(behaviors, System.err::println));
    } catch (RuntimeException e) {
      Runtime.getRuntime().removeShutdownHook(hook);
      server.stop(Duration.ZERO);
      throw e;
    }
    stopped.await(); // SIGTERM or Ctrl-C: the hook drains and stops the server
    return 0;
  }

  /** --queue: "auto" ({@link ServeServer.Options#AUTO_QUEUE}) or a count of at least 0. */
  static int parseQueue(String queue) {
    if (queue.equals("auto")) return ServeServer.Options.AUTO_QUEUE;
    try {
      int q = Integer.parseInt(queue);
      if (q >= 0) return q;
    } catch (NumberFormatException e) {
      // said below
    }
    throw new UserException("--queue: 'auto' or a count of at least 0, found '" + queue + "'");
  }
}
