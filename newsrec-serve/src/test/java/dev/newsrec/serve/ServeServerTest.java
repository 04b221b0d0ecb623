package dev.newsrec.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.newsrec.core.UserException;
import dev.newsrec.core.data.News;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.core.run.RunFolder;
import dev.newsrec.nn.infer.NewsVectorFile;
import dev.newsrec.nn.infer.Scorer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server over real HTTP on a tiny trained NRMS: the API, bad input, overload, tokens, stopping. */
class ServeServerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static ServedModel served;
  static ServeServer server;
  static List<String> logLines = new ArrayList<>();
  static int NEWS; // the tiny world's train and dev news.tsv, read independently

  @TempDir Path tmp;

  record Reply(int status, JsonNode body, String text, HttpResponse<String> raw) {}

  @BeforeAll
  static void start() throws Exception {
    NEWS = dev.newsrec.core.mind.MindFolder.corpus(List.of(new dev.newsrec.core.mind.MindFolder(TinyRun.world().resolve("train")),
        new dev.newsrec.core.mind.MindFolder(TinyRun.world().resolve("dev"))), dev.newsrec.core.mind.ReadOptions.STRICT, new ArrayList<>()).size();
    served = ServedModel.load(TinyRun.run(), null, List.of(), null, logLines::add);
    server = ServeServer.start(ServeServer.Options.defaults().withPort(0).withThreads(2, 4).withLimits(20, 4096)
            // on a loaded machine a request may wait over the default 10 ms for a server thread and
            // get 503; these tests check answers, not that bound
            .withMaxWait(60_000),
        logLines::add);
    server.ready(served);
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  static Reply call(ServeServer s, String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.uri() + path)).timeout(Duration.ofSeconds(30));
    if (headers.length > 0) b.headers(headers);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode j = null;
    if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) j = JSON.readTree(r.body());
    return new Reply(r.statusCode(), j, r.body(), r);
  }

  static Reply post(String path, String body) throws Exception {
    return call(server, "POST", path, body, "Content-Type", "application/json");
  }

  static String ids(List<String> ids) {
    return ids.stream().map(i -> "\"" + i + "\"").collect(Collectors.joining(",", "[", "]"));
  }

  static String id(int n) {
    return served.corpus().id(n);
  }

  @Test
  void startsWithOneLineNamingModelCorpusAndAddress() throws Exception {
    assertThat(logLines).anyMatch(l -> l.startsWith("serving nrms model of ") && l.contains(NEWS + " news at http://127.0.0.1:"));
    Reply h = call(server, "GET", "/health", null);
    assertThat(h.status()).isEqualTo(200);
    assertThat(h.body().get("status").asText()).isEqualTo("ready");
    assertThat(h.body().get("vectors").asInt()).isGreaterThanOrEqualTo(NEWS);
  }

  @Test
  void healthSaysLoadingUntilTheModelIsReady() throws Exception {
    try (ServeServer s = ServeServer.start(ServeServer.Options.defaults().withPort(0).withMaxWait(60_000), line -> {})) {
      Reply h = call(s, "GET", "/health", null);
      assertThat(h.status()).isEqualTo(503);
      assertThat(h.body().get("status").asText()).isEqualTo("loading");
      Reply r = call(s, "POST", "/v1/rank", "{\"candidates\":[\"x\"]}");
      assertThat(r.status()).isEqualTo(503);
      s.ready(served);
      assertThat(call(s, "GET", "/health", null).status()).isEqualTo(200);
    }
  }

  @Test
  void rankReturnsTheScorersScoresAndTheCandidatesBestFirst() throws Exception {
    List<String> history = List.of(id(1), id(2), id(3));
    List<String> cands = List.of(id(10), id(11), id(12), id(13), id(14));
    Reply r = post("/v1/rank", "{\"history\":" + ids(history) + ",\"candidates\":" + ids(cands) + ",\"k\":3}");
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    float[] expected;
    try (Scorer s = served.scoring().scorer()) {
      expected = s.score(s.user(new int[] {1, 2, 3}), new int[] {10, 11, 12, 13, 14});
    }
    JsonNode scores = r.body().get("scores");
    assertThat(scores).hasSize(5);
    // The server encodes this model's users in plain Java (JavaUserEncoder): equal up to float rounding.
    assertThat(server.service().javaUsers()).isTrue();
    for (int j = 0; j < 5; j++) assertThat(scores.get(j).floatValue()).isCloseTo(expected[j], within(1e-5f));
    JsonNode ranking = r.body().get("ranking");
    assertThat(ranking).hasSize(3);
    float[] got = new float[5];
    for (int j = 0; j < 5; j++) got[j] = scores.get(j).floatValue();
    for (int i = 0; i < 3; i++) {
      JsonNode x = ranking.get(i);
      assertThat(x.get("id").asText()).isEqualTo(cands.get(x.get("candidate").asInt()));
      assertThat(x.get("score").floatValue()).isEqualTo(got[x.get("candidate").asInt()]);
      if (i > 0) assertThat(x.get("score").floatValue()).isLessThanOrEqualTo(ranking.get(i - 1).get("score").floatValue());
    }
    float best = Math.max(Math.max(got[0], got[1]), Math.max(got[2], Math.max(got[3], got[4])));
    assertThat(ranking.get(0).get("score").floatValue()).isEqualTo(best);
  }

  @Test
  void aLongHistoryIsCutByTheModelsPolicyAsInTraining() throws Exception {
    List<String> longHistory = IntStream.range(20, 32).mapToObj(ServeServerTest::id).toList();
    // The model keeps the most recent HISTORY_MAX clicks (its history policy).
    List<String> recent = longHistory.subList(longHistory.size() - TinyRun.HISTORY_MAX, longHistory.size());
    String cands = ids(List.of(id(40), id(41), id(42)));
    Reply all = post("/v1/rank", "{\"history\":" + ids(longHistory) + ",\"candidates\":" + cands + "}");
    Reply cut = post("/v1/rank", "{\"history\":" + ids(recent) + ",\"candidates\":" + cands + "}");
    Reply other = post("/v1/rank", "{\"history\":" + ids(longHistory.subList(0, 5)) + ",\"candidates\":" + cands + "}");
    assertThat(all.body().get("history_used").asInt()).isEqualTo(TinyRun.HISTORY_MAX);
    assertThat(all.body().get("scores")).isEqualTo(cut.body().get("scores"));
    assertThat(all.body().get("scores")).isNotEqualTo(other.body().get("scores"));
  }

  @Test
  void inlineNewsTheCorpusLacksAreScoredAndCachedOnce() throws Exception {
    int before = server.service().cachedVectors();
    String fresh = "{\"id\":\"FRESH-1\",\"title\":\"" + served.corpus().get(5).title() + "\",\"category\":\"news\","
        + "\"entities\":[{\"WikidataId\":\"Q1\",\"OccurrenceOffsets\":[0]}]}";
    Reply a = post("/v1/rank", "{\"history\":[\"" + id(1) + "\"],\"candidates\":[" + fresh + ",\"" + id(6) + "\"]}");
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    assertThat(server.service().cachedVectors()).isEqualTo(before + 1);
    // Known now: by id alone, and the same score as before.
    Reply b = post("/v1/rank", "{\"history\":[\"" + id(1) + "\"],\"candidates\":[\"FRESH-1\",\"" + id(6) + "\"]}");
    assertThat(b.status()).isEqualTo(200);
    assertThat(b.body().get("scores")).isEqualTo(a.body().get("scores"));
    assertThat(server.service().cachedVectors()).isEqualTo(before + 1);
    // The same title as a corpus news has the same vector, so the same score.
    Reply c = post("/v1/rank", "{\"history\":[\"" + id(1) + "\"],\"candidates\":[\"" + id(5) + "\"]}");
    assertThat(c.body().get("scores").get(0).floatValue()).isCloseTo(a.body().get("scores").get(0).floatValue(),
        org.assertj.core.data.Offset.offset(1e-6f));
  }

  @Test
  void postNewsAddsAndReplaces() throws Exception {
    String hist = "{\"history\":[\"" + id(1) + "\"],\"candidates\":[\"POSTED\"]}";
    assertThat(post("/v1/rank", hist).status()).isEqualTo(400);
    Reply add = post("/v1/news", "{\"news\":[{\"id\":\"POSTED\",\"title\":\"" + served.corpus().get(7).title() + "\"}]}");
    assertThat(add.status()).as(add.text()).isEqualTo(200);
    assertThat(add.body().get("added").asInt()).isEqualTo(1);
    float first = post("/v1/rank", hist).body().get("scores").get(0).floatValue();
    Reply again = post("/v1/news", "{\"news\":[{\"id\":\"POSTED\",\"title\":\"" + served.corpus().get(7).title() + "\"}]}");
    assertThat(again.body().get("unchanged").asInt()).isEqualTo(1);
    Reply replace = post("/v1/news", "{\"news\":[{\"id\":\"POSTED\",\"title\":\"" + served.corpus().get(8).title() + "\"}]}");
    assertThat(replace.body().get("replaced").asInt()).isEqualTo(1);
    float second = post("/v1/rank", hist).body().get("scores").get(0).floatValue();
    float corpus8 = post("/v1/rank", "{\"history\":[\"" + id(1) + "\"],\"candidates\":[\"" + id(8) + "\"]}")
        .body().get("scores").get(0).floatValue();
    assertThat(second).isNotEqualTo(first).isCloseTo(corpus8, org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(server.service().news("POSTED").title()).isEqualTo(served.corpus().get(8).title());
  }

  @Test
  void badRequestsAreJsonErrorsNamingTheFieldAndTheServerKeepsServing() throws Exception {
    String c = id(10);
    Object[][] cases = {
        {"{\"candidates\": [", 400, null, "malformed JSON"},
        {"[1,2]", 400, null, "expected a JSON object"},
        {"", 400, null, "empty body"},
        {"{\"history\":[]}", 400, "candidates", "missing"},
        {"{\"candidates\":[]}", 400, "candidates", "at least one"},
        {"{\"candidates\":\"" + c + "\"}", 400, "candidates", "expected a list"},
        {"{\"candidates\":[\"" + c + "\", 7]}", 400, "candidates[1]", "found a number"},
        {"{\"candidates\":[\"" + c + "\", \"N-NOPE\"]}", 400, "candidates[1]", "unknown news id 'N-NOPE'"},
        {"{\"history\":[\"N-NOPE\"],\"candidates\":[\"" + c + "\"]}", 400, "history[0]", "unknown news id"},
        {"{\"candidates\":[\"" + c + "\"],\"k\":\"3\"}", 400, "k", "expected an integer"},
        {"{\"candidates\":[\"" + c + "\"],\"k\":0}", 400, "k", "at least 1"},
        {"{\"candidates\":[\"" + c + "\",\"" + c + "\"]}", 400, "candidates[1]", "each candidate once"},
        {"{\"candidates\":[{\"id\":\"X9\"}]}", 400, "candidates[0].title", "missing"},
        {"{\"candidates\":[{\"id\":\"X9\",\"title\":\"t\",\"entities\":[{\"WikidataId\":3}]}]}", 400,
            "candidates[0].entities[0].WikidataId", "expected a string"},
        {"{\"candidates\":[\"" + c + "\"],\"users\":1}", 400, "users", "unknown key"},
        {"{\"candidates\":" + ids(IntStream.range(0, 21).mapToObj(ServeServerTest::id).toList()) + "}", 400,
            "candidates", "at most 20"},
        {"{\"candidates\":[\"" + "x".repeat(5000) + "\"]}", 413, null, "at most 4096"},
    };
    for (Object[] k : cases) {
      Reply r = post("/v1/rank", (String) k[0]);
      String what = k[0].toString().substring(0, Math.min(60, k[0].toString().length()));
      assertThat(r.status()).as(what + " -> " + r.text()).isEqualTo(k[1]);
      assertThat(r.body()).as(what + " -> " + r.text()).isNotNull();
      assertThat(r.body().get("error").asText()).as(what).contains((String) k[3]);
      if (k[2] == null) assertThat(r.body().has("field")).as(what).isFalse();
      else assertThat(r.body().get("field").asText()).as(what).isEqualTo(k[2]);
      assertThat(r.text()).doesNotContain("Exception").doesNotContain("\tat ");
    }
    Reply notFound = call(server, "GET", "/v1/nope", null);
    assertThat(notFound.status()).isEqualTo(404);
    assertThat(notFound.body().get("error").asText()).contains("no such endpoint");
    assertThat(post("/v1/rank", "{\"candidates\":[\"" + c + "\"]}").status()).isEqualTo(200);
  }

  @Test
  void aFullQueueAnswers503WithRetryAfterAndRecovers() throws Exception {
    server.occupy(6); // threads 2 + queue 4
    try {
      Reply r = post("/v1/rank", "{\"candidates\":[\"" + id(10) + "\"]}");
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.raw().headers().firstValue("Retry-After")).hasValue("1");
      assertThat(r.body().get("error").asText()).contains("overloaded");
      String metrics = call(server, "GET", "/metrics", null).text();
      assertThat(metrics).containsPattern("(?m)^newsrec_queue_depth 6(\\.0)?$");
      assertThat(call(server, "GET", "/health", null).status()).isEqualTo(200); // health is never queued
    } finally {
      server.vacate(6);
    }
    assertThat(post("/v1/rank", "{\"candidates\":[\"" + id(10) + "\"]}").status()).isEqualTo(200);
  }

  @Test
  void concurrentRequestsGetTheSameScoresAsOneByOne() throws Exception {
    String body = "{\"history\":" + ids(List.of(id(3), id(4))) + ",\"candidates\":" + ids(List.of(id(50), id(51))) + "}";
    JsonNode alone = post("/v1/rank", body).body().get("scores");
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      all.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(server.uri() + "/v1/rank"))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
    }
    for (var f : all) {
      HttpResponse<String> r = f.get();
      if (r.statusCode() == 503) continue; // a full queue is a valid answer
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(r.body()).get("scores")).isEqualTo(alone);
    }
  }

  @Test
  void metricsAreInPrometheusTextFormat() throws Exception {
    post("/v1/rank", "{\"candidates\":[\"" + id(10) + "\"]}");
    post("/v1/rank", "{\"candidates\":[]}");
    Reply m = call(server, "GET", "/metrics", null);
    assertThat(m.status()).isEqualTo(200);
    assertThat(m.raw().headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(m.text())
        .containsPattern("newsrec_http_requests_total\\{route=\"rank\",status=\"200\"\\} \\d+")
        .containsPattern("newsrec_http_requests_total\\{route=\"rank\",status=\"400\"\\} \\d+")
        .containsPattern("newsrec_http_request_duration_seconds_bucket\\{route=\"rank\",le=\"0.01\"\\} \\d+")
        .contains("# TYPE newsrec_http_request_duration_seconds histogram")
        .containsPattern("(?m)^newsrec_news_vectors_cached \\d+")
        .containsPattern("(?m)^newsrec_news_vector_hit_ratio ")
        .containsPattern("(?m)^newsrec_news_vector_hits_total \\d+");
  }

  @Test
  void modelAndOpenApiDescribeWhatIsServed() throws Exception {
    Reply m = call(server, "GET", "/v1/model", null);
    assertThat(m.status()).isEqualTo(200);
    assertThat(m.body().get("type").asText()).isEqualTo("nrms");
    assertThat(m.body().get("options").get("word_dim").asInt()).isEqualTo(16);
    assertThat(m.body().get("plm").get("sha256").asText()).hasSize(64);
    assertThat(m.body().has("provenance")).isTrue();
    assertThat(m.body().get("corpus").get("news").asInt()).isEqualTo(NEWS);
    assertThat(m.body().get("history").get("max").asInt()).isEqualTo(TinyRun.HISTORY_MAX);
    assertThat(m.body().get("checksum").asText()).isEqualTo(served.checksum());
    Reply api = call(server, "GET", "/v1/openapi.json", null);
    assertThat(api.status()).isEqualTo(200);
    assertThat(api.body().get("openapi").asText()).startsWith("3.");
    List<String> documented = new ArrayList<>();
    api.body().get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames()
        .forEachRemaining(method -> documented.add(method.toUpperCase() + " " + p.getKey())));
    assertThat(documented).containsExactlyInAnyOrderElementsOf(ServeServer.endpoints());
  }

  @Test
  void writesNeedTheBearerTokenWhenOneIsSet() throws Exception {
    assertThatThrownBy(() -> ServeServer.start(ServeServer.Options.defaults().withPort(0).withHost("0.0.0.0", null), l -> {}))
        .isInstanceOf(UserException.class).hasMessageContaining("--token-file");
    Path tokenFile = tmp.resolve("token");
    Files.writeString(tokenFile, "s3cret\n");
    try (ServeServer s = ServeServer.start(ServeServer.Options.defaults().withPort(0).withMaxWait(60_000)
        .withHost("127.0.0.1", ServeServer.readToken(tokenFile)), l -> {})) {
      s.ready(served);
      String news = "{\"news\":[{\"id\":\"TOKEN-1\",\"title\":\"a title\"}]}";
      Reply none = call(s, "POST", "/v1/news", news);
      assertThat(none.status()).isEqualTo(401);
      assertThat(none.body().get("field").asText()).isEqualTo("Authorization");
      assertThat(call(s, "POST", "/v1/news", news, "Authorization", "Bearer wrong").status()).isEqualTo(401);
      assertThat(call(s, "POST", "/v1/news", news, "Authorization", "Bearer s3cret").status()).isEqualTo(200);
      assertThat(call(s, "POST", "/v1/rank", "{\"candidates\":[\"TOKEN-1\"]}").status()).isEqualTo(200); // reads need none
    }
  }

  @Test
  void stoppingRefusesNewRequestsAndWaitsForThoseInFlight() throws Exception {
    ServeServer s = ServeServer.start(ServeServer.Options.defaults().withPort(0).withMaxWait(60_000), l -> {});
    s.ready(served);
    URI uri = s.uri();
    s.inFlight(1); // a request still being answered
    Thread stopper = new Thread(() -> s.stop(Duration.ofSeconds(20)));
    stopper.start();
    Thread.sleep(200);
    assertThat(stopper.isAlive()).as("stop waits for the request in flight").isTrue();
    Reply r = call(s, "POST", "/v1/rank", "{\"candidates\":[\"" + id(10) + "\"]}");
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.body().get("error").asText()).contains("stopping");
    s.inFlight(-1);
    stopper.join(10_000);
    assertThat(stopper.isAlive()).isFalse();
    assertThatThrownBy(() -> HTTP.send(HttpRequest.newBuilder(URI.create(uri + "/health")).build(),
        HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void vectorsAreReadFromAFileOfThisModelOnly() throws Exception {
    NewsCorpus corpus = served.corpus();
    List<String> ids = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    try (Scorer s = served.scoring().scorer()) {
      for (int n = 0; n < NEWS; n++) {
        ids.add(corpus.id(n));
        vectors.add(s.newsVector(n));
      }
    }
    Path file = tmp.resolve("vectors.bin");
    NewsVectorFile.write(file, served.checksum(), "nrms", ids, vectors);
    List<String> log = new ArrayList<>();
    ServedModel fromFile = ServedModel.load(TinyRun.run(), null, List.of(), file, log::add);
    assertThat(log).anyMatch(l -> l.contains(NEWS + " of " + NEWS + " read from"));
    assertThat(log).noneMatch(l -> l.contains("encoded"));
    try (Scorer a = fromFile.scoring().scorer(); Scorer b = served.scoring().scorer()) {
      assertThat(a.score(a.user(new int[] {1, 2}), new int[] {3, 4})).containsExactly(b.score(b.user(new int[] {1, 2}), new int[] {3, 4}));
    }
    Path other = tmp.resolve("other.bin");
    NewsVectorFile.write(other, "0".repeat(64), "nrms", ids, vectors);
    assertThatThrownBy(() -> ServedModel.load(TinyRun.run(), null, List.of(), other, l -> {}))
        .isInstanceOf(UserException.class).hasMessageContaining("written for another model");
  }

  @Test
  void badRunFoldersAndNewsFilesAreNamed() throws Exception {
    assertThatThrownBy(() -> ServedModel.load(tmp.resolve("missing"), null, List.of(), null, l -> {}))
        .isInstanceOf(UserException.class).hasMessageContaining("missing").hasMessageContaining("no such folder");
    Path unfinished = tmp.resolve("unfinished");
    Files.createDirectories(unfinished.resolve("model"));
    Files.copy(TinyRun.run().resolve(RunFolder.CONFIG), unfinished.resolve(RunFolder.CONFIG));
    Files.writeString(unfinished.resolve(RunFolder.INCOMPLETE), "");
    assertThatThrownBy(() -> ServedModel.load(unfinished, null, List.of(), null, l -> {}))
        .isInstanceOf(UserException.class).hasMessageContaining("did not finish");
    Path badNews = tmp.resolve("news.tsv");
    Files.writeString(badNews, "N1\tcat\n");
    assertThatThrownBy(() -> ServedModel.load(TinyRun.run(), null, List.of(badNews), null, l -> {}))
        .hasMessageContaining(badNews.toString()).hasMessageContaining(":1");
    assertThatThrownBy(() -> ServedModel.load(TinyRun.run(), 7L, List.of(), null, l -> {}))
        .isInstanceOf(UserException.class).hasMessageContaining("single-seed");
  }

  @Test
  void aMultiSeedRunServesTheFirstSeedUnlessOneIsNamed() throws Exception {
    Path multi = tmp.resolve("multi");
    Files.createDirectories(multi);
    Files.createDirectories(multi.resolve("seed-43"));
    Files.createDirectories(multi.resolve("seed-42"));
    List<String> log = new ArrayList<>();
    assertThat(ServedModel.runOf(multi, null, log::add)).isEqualTo(multi.resolve("seed-42"));
    assertThat(log).anyMatch(l -> l.contains("serving seed-42") && l.contains("seeds: seed-42, seed-43"));
    assertThat(ServedModel.runOf(multi, 43L, l -> {})).isEqualTo(multi.resolve("seed-43"));
    assertThatThrownBy(() -> ServedModel.runOf(multi, 44L, l -> {})).hasMessageContaining("seed-42, seed-43");
  }

  static News news(String id, String title) {
    return News.of(id, "", "", title);
  }

  @Test
  void anAutoQueueIsSizedFromTheMeasuredServiceTime() throws Exception {
    assertThat(ServeServer.autoQueue(2, 10, 2.5)).isEqualTo(8);
    assertThat(ServeServer.autoQueue(4, 10, 3)).isEqualTo(13);
    assertThat(ServeServer.autoQueue(2, 10, 0.01)).isEqualTo(ServeServer.Options.MAX_AUTO_QUEUE);
    assertThat(ServeServer.autoQueue(2, 10, 100)).isEqualTo(1);
    List<String> lines = new ArrayList<>();
    try (ServeServer auto = ServeServer.start(ServeServer.Options.defaults().withPort(0).withThreads(2, ServeServer.Options.AUTO_QUEUE),
        lines::add)) {
      auto.ready(served);
      long hits = auto.service().newsHits.sum() + auto.service().newsMisses.sum();
      assertThat(hits).as("the measurement leaves the hit counters alone").isZero();
      String line = lines.stream().filter(l -> l.startsWith("serving ")).findFirst().orElseThrow();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("queue (\\d+) \\(auto: 2 threads x 10 ms wait / ([0-9.]+) ms a request").matcher(line);
      assertThat(m.find()).as(line).isTrue();
      int q = Integer.parseInt(m.group(1));
      assertThat(q).isEqualTo(auto.queue()).isEqualTo(ServeServer.autoQueue(2, 10, Double.parseDouble(m.group(2))));
      assertThat(call(auto, "GET", "/v1/model", null).body().at("/limits/queue").asInt()).isEqualTo(q);
      // threads + queue requests are admitted; one more gets 503 at once.
      auto.occupy(2 + q);
      try {
        Reply r = call(auto, "POST", "/v1/rank", "{\"history\":[],\"candidates\":[\"" + id(1) + "\"]}", "Content-Type", "application/json");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.raw().headers().firstValue("Retry-After")).isPresent();
      } finally {
        auto.vacate(2 + q);
      }
    }
  }

  @Test
  void aScoringRequestThatWaitedPastTheBoundGets503() throws Exception {
    // A negative bound: every request has waited longer (0 ms or more) by the time it is handled.
    try (ServeServer late = ServeServer.start(ServeServer.Options.defaults().withPort(0).withThreads(1, 1).withMaxWait(-1),
        line -> {})) {
      late.ready(served);
      Reply r = call(late, "POST", "/v1/rank", "{\"history\":[],\"candidates\":[\"" + id(1) + "\"]}",
          "Content-Type", "application/json");
      assertThat(r.status()).as(r.text()).isEqualTo(503);
      assertThat(r.raw().headers().firstValue("Retry-After")).contains("1");
      assertThat(r.body().get("error").asText()).contains("waited").contains("--max-wait-ms");
      assertThat(call(late, "GET", "/health", null).status()).as("other routes are not bounded").isEqualTo(200);
    }
  }
}
