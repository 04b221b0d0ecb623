package dev.newsrec.nn.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LrScheduleTest {
  @Test
  void linearWarmupThenLinearDecayToZero() {
    LrSchedule s = LrSchedule.linearWarmupDecay(100, 10);
    assertThat(s.multiplier(0)).isZero();
    assertThat(s.multiplier(1)).isCloseTo(0.1, within(1e-12));
    assertThat(s.multiplier(5)).isCloseTo(0.5, within(1e-12));
    assertThat(s.multiplier(10)).isEqualTo(1.0);
    assertThat(s.multiplier(55)).isCloseTo(0.5, within(1e-12));
    assertThat(s.multiplier(99)).isCloseTo(1.0 / 90, within(1e-12));
    assertThat(s.multiplier(100)).isZero();
    assertThat(s.multiplier(150)).isZero();
  }

  @Test
  void warmupFromRatioIsRoundedUpAsHuggingFaceDoes() {
    assertThat(LrSchedule.warmupSteps(1000, 0.1)).isEqualTo(100);
    assertThat(LrSchedule.warmupSteps(25, 0.1)).isEqualTo(3);
    assertThat(LrSchedule.warmupSteps(10, 0.0)).isZero();
    LrSchedule s = LrSchedule.linearWarmupDecay(1000, 0.1);
    assertThat(s.multiplier(50)).isCloseTo(0.5, within(1e-12));
    assertThat(s.multiplier(100)).isEqualTo(1.0);
    assertThat(s.multiplier(550)).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void noWarmupStartsAtOne() {
    LrSchedule s = LrSchedule.linearWarmupDecay(4, 0);
    assertThat(s.multiplier(0)).isEqualTo(1.0);
    assertThat(s.multiplier(1)).isEqualTo(0.75);
    assertThat(s.multiplier(3)).isEqualTo(0.25);
  }

  @Test
  void constantSchedules() {
    assertThat(LrSchedule.constant().multiplier(0)).isEqualTo(1.0);
    assertThat(LrSchedule.constant().multiplier(12345)).isEqualTo(1.0);
    LrSchedule w = LrSchedule.constantWithWarmup(4);
    assertThat(w.multiplier(2)).isEqualTo(0.5);
    assertThat(w.multiplier(4)).isEqualTo(1.0);
    assertThat(w.multiplier(400)).isEqualTo(1.0);
  }

  @Test
  void rejectsImpossibleSettings() {
    assertThatThrownBy(() -> LrSchedule.linearWarmupDecay(10, 11)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LrSchedule.linearWarmupDecay(0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LrSchedule.warmupSteps(10, 1.5)).isInstanceOf(IllegalArgumentException.class);
  }
}
