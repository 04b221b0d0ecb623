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

  @Test
  void ip2OptionsOutOfRangeAreRefusedWithExit2() {
    CliTestSupport.Result stage = CliTestSupport.run("bench", "train", "--model", "ip2", "--stages", "finetune,behaviour");
    assertThat(stage.exitCode()).isEqualTo(2);
    assertThat(stage.err()).contains("--stages: finetune, top1, all or contrastive, found 'behaviour'");
    CliTestSupport.Result tokens = CliTestSupport.run("bench", "train", "--model", "ip2", "--title-tokens", "2");
    assertThat(tokens.exitCode()).isEqualTo(2);
    assertThat(tokens.err()).contains("--title-tokens: between 3 and 512, found 2");
    CliTestSupport.Result batch = CliTestSupport.run("bench", "train", "--model", "ip2", "--contrastive-batch", "1");
    assertThat(batch.exitCode()).isEqualTo(2);
    assertThat(batch.err()).contains("--contrastive-batch: at least 2, found 1");
    CliTestSupport.Result watch = CliTestSupport.run("bench", "train", "--model", "ip2", "--watch-steps", "-1");
    assertThat(watch.exitCode()).isEqualTo(2);
    assertThat(watch.err()).contains("--watch-steps: at least 0, found -1");
  }
}
