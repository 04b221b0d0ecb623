package dev.newsrec.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.core.mind.MindFolder;
import dev.newsrec.core.mind.MindReader;
import dev.newsrec.core.mind.ReadOptions;
import dev.newsrec.core.mind.ReadReport;
import dev.newsrec.core.run.RunFolder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code newsrec serve} as a user runs it: a child JVM serving a tiny NRMS answers /v1/rank with the
 * scores {@code newsrec predict --scores} wrote for every dev impression, and stops on SIGTERM; bad
 * command lines exit 2 naming the file.
 */
class ServeCommandTest {
  @TempDir static Path shared;
  static Path world;
  static Path run;

  @TempDir Path tmp;

  @BeforeAll
  static void train() {
    run = TinyNrmsRun.train(shared);
    world = TinyNrmsRun.world(shared);
  }

  @Test
  void rankGivesThePredictScoresOfEveryDevImpressionAndSigtermStopsCleanly() throws Exception {
    Path scores = tmp.resolve("scores.txt");
    var p = CliTestSupport.run("predict", "--run", run.toString(), "--data", world.resolve("dev").toString(),
        "--out", tmp.resolve("prediction.txt").toString(), "--scores", scores.toString());
    assertThat(p.exitCode()).as(p.err()).isZero();
    Map<String, float[]> offline = new HashMap<>();
    for (String line : Files.readAllLines(scores)) {
      String[] f = line.split("\t");
      String[] s = f[1].split(" ");
      float[] v = new float[s.length];
      for (int j = 0; j < s.length; j++) v[j] = Float.parseFloat(s[j]);
      offline.put(f[0], v);
    }
    // A model whose scores barely differ would pass a 1e-5 check by accident: they must spread.
    double spread = offline.values().stream().mapToDouble(v -> {
      double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
      for (float x : v) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
      return hi - lo;
    }).average().orElse(0);
    System.err.println("mean score range per dev impression: " + spread);
    assertThat(spread).isGreaterThan(1e-2);

    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true", "-Xmx1g", Main.class.getName(),
        "serve", "--run", run.toString(), "--port", "0", "--threads", "2",
        // a loaded machine may keep a request over the default 10 ms from a server thread (503)
        "--max-wait-ms", "60000"));
    Path log = tmp.resolve("serve.log");
    Process server = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      URI uri = awaitAddress(server, log);
      HttpClient http = HttpClient.newHttpClient();
      ObjectMapper json = new ObjectMapper();
      // The dev impressions as the server's clients would send them: news ids, oldest click first.
      NewsCorpus corpus = MindFolder.corpus(List.of(MindFolder.of(world.resolve("train")), MindFolder.of(world.resolve("dev"))),
          ReadOptions.STRICT, new ArrayList<>());
      Impressions dev = MindReader.readBehaviors(world.resolve("dev").resolve(MindFolder.BEHAVIORS), corpus,
          ReadOptions.STRICT, new ReadReport());
      assertThat(dev.size()).isEqualTo(offline.size()).isGreaterThan(100);
      double worst = 0;
      for (int i = 0; i < dev.size(); i++) {
        var body = json.createObjectNode();
        var h = body.putArray("history");
        for (int n : dev.history(i)) h.add(corpus.id(n));
        var c = body.putArray("candidates");
        for (int j = 0; j < dev.candidateCount(i); j++) c.add(corpus.id(dev.candidate(i, j)));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri + "/v1/rank"))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode got = json.readTree(r.body()).get("scores");
        float[] want = offline.get(dev.impressionId(i));
        assertThat(got).hasSize(want.length);
        for (int j = 0; j < want.length; j++) worst = Math.max(worst, Math.abs(got.get(j).doubleValue() - want[j]));
      }
      assertThat(worst).as("largest difference to predict --scores").isLessThan(1e-5);

      server.destroy(); // SIGTERM
      assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String out = Files.readString(log);
      assertThat(out).contains("stopped").doesNotContain("Exception");
    } finally {
      server.destroyForcibly();
    }
  }

  static URI awaitAddress(Process p, Path log) throws Exception {
    Pattern serving = Pattern.compile("serving nrms model of .*: (\\d+) news at (http://127\\.0\\.0\\.1:\\d+)");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      String s = Files.exists(log) ? Files.readString(log) : "";
      Matcher m = serving.matcher(s);
      if (m.find()) return URI.create(m.group(2));
      assertThat(p.isAlive()).as("the server exited: " + s).isTrue();
      Thread.sleep(50);
    }
    throw new AssertionError("no 'serving' line within 2 minutes: " + Files.readString(log));
  }

  @Test
  void badCommandLinesExit2NamingTheFile() throws Exception {
    var missing = CliTestSupport.run("serve", "--run", tmp.resolve("nope").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("nope").contains("no such folder").doesNotContain("\tat ");

    Path unfinished = tmp.resolve("unfinished");
    Files.createDirectories(unfinished.resolve(RunFolder.MODEL));
    Files.copy(run.resolve(RunFolder.CONFIG), unfinished.resolve(RunFolder.CONFIG));
    Files.writeString(unfinished.resolve(RunFolder.INCOMPLETE), "");
    var incomplete = CliTestSupport.run("serve", "--run", unfinished.toString());
    assertThat(incomplete.exitCode()).isEqualTo(2);
    assertThat(incomplete.err()).contains(unfinished.toString()).contains("did not finish");

    var noNews = CliTestSupport.run("serve", "--run", run.toString(), "--news", tmp.resolve("none.tsv").toString());
    assertThat(noNews.exitCode()).isEqualTo(2);
    assertThat(noNews.err()).contains("--news " + tmp.resolve("none.tsv")).contains("no such file");

    Path bad = tmp.resolve("news.tsv");
    Files.writeString(bad, "N1\tsports\tsoccer\n");
    var badNews = CliTestSupport.run("serve", "--run", run.toString(), "--news", bad.toString(), "--port", "0");
    assertThat(badNews.exitCode()).isEqualTo(2);
    assertThat(badNews.err()).contains(bad + ":1").doesNotContain("\tat ");

    var open = CliTestSupport.run("serve", "--run", run.toString(), "--host", "0.0.0.0");
    assertThat(open.exitCode()).isEqualTo(2);
    assertThat(open.err()).contains("--token-file");
  }
}
