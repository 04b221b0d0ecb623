package dev.newsrec.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code bench train}'s option checks (exit 2 before anything runs). */
class BenchTrainCommandTest {
  @Test
  void anUnknownModelIsRefusedWithExit2() {
    CliTestSupport.Result r = CliTestSupport.run("bench", "train", "--model", "nrms");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--model plmnr, punr or ip2");
  }

  @Test
  void punrOptionsOutOfRangeAreRefusedWithExit2() {
    CliTestSupport.Result tokens = CliTestSupport.run("bench", "train", "--model", "punr", "--doc-tokens", "600");
    assertThat(tokens.exitCode()).isEqualTo(2);
    assertThat(tokens.err()).contains("--doc-tokens: between 3 and 512, found 600");
    CliTestSupport.Result stage = CliTestSupport.run("bench", "train", "--model", "punr", "--stages", "finetune,warmup");
    assertThat(stage.exitCode()).isEqualTo(2);
    assertThat(stage.err()).contains("--stages: finetune or behaviour, found 'warmup'");
    CliTestSupport.Result rounds = CliTestSupport.run("bench", "train", "--model", "punr", "--rounds", "0");
    assertThat(rounds.exitCode()).isEqualTo(2);
    assertThat(rounds.err()).contains("--rounds: at least 1");
  }
}
