package dev.newsrec.serve.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsrec.serve.TinyRunAccess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** bench serve end to end at low rates on the tiny NRMS: every rate and target line is printed (no timing asserted). */
class ServeBenchTest {
  @Test
  void printsEveryRateAndOneRatioLinePerTarget() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int code = new ServeBench(new ServeBench.Options(TinyRunAccess.run(), null, List.of(), null, List.of(20.0, 40.0), 1,
        2, 8, 100, 50, 1), out).run();
    String s = bytes.toString(StandardCharsets.UTF_8);
    assertThat(code).as(s).isZero();
    assertThat(s).containsPattern("rate +20/s: achieved +[\\d.]+/s \\(200s\\), p50 .* status 200:\\d+")
        .containsPattern("rate +40/s: achieved .* status 200:\\d+")
        .contains("in-process reference (RankService, no HTTP, 1 thread, users in plain Java as served)")
        .containsPattern("in-process, users through the model's NDArray forward pass instead: p50 [\\d.]+ ms")
        .containsPattern("server threads 2, queue 8;");
    assertThat(s.lines().filter(l -> l.contains("ratio"))).hasSize(4);
    assertThat(s).contains("p99 at 500 requests/s: not measured");
  }

  @Test
  void percentilesAreNearestRank() {
    double[] v = {5, 1, 4, 2, 3};
    assertThat(ServeBench.percentile(v, 50)).isEqualTo(3);
    assertThat(ServeBench.percentile(v, 99)).isEqualTo(5);
    assertThat(ServeBench.percentile(v, 1)).isEqualTo(1);
  }
}
