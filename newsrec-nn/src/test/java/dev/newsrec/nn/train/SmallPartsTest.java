package dev.newsrec.nn.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SmallPartsTest {
  private static final List<Integer> ITEMS = IntStream.range(0, 10).boxed().toList();

  @Test
  void shuffledBatchesCoverEachEpochAndReshuffle() {
    ShuffledBatches<Integer> s = new ShuffledBatches<>(ITEMS, 3, 7, true);
    assertThat(s.batchesPerEpoch()).isEqualTo(3);
    List<Integer> epoch0 = new ArrayList<>();
    for (int i = 0; i < 3; i++) epoch0.addAll(s.next());
    List<Integer> epoch1 = new ArrayList<>();
    for (int i = 0; i < 3; i++) epoch1.addAll(s.next());
    assertThat(s.epoch()).isEqualTo(1);
    assertThat(new HashSet<>(epoch0)).hasSize(9);
    assertThat(epoch1).isNotEqualTo(epoch0);
    ShuffledBatches<Integer> keepLast = new ShuffledBatches<>(ITEMS, 3, 7, false);
    assertThat(keepLast.batchesPerEpoch()).isEqualTo(4);
    Set<Integer> all = new HashSet<>();
    for (int i = 0; i < 4; i++) all.addAll(keepLast.next());
    assertThat(all).hasSize(10);
  }

  @Test
  void shuffledBatchesResumeFromTheirState() {
    ShuffledBatches<Integer> a = new ShuffledBatches<>(ITEMS, 4, 1, true);
    for (int i = 0; i < 5; i++) a.next();
    byte[] state = a.saveState();
    ShuffledBatches<Integer> b = new ShuffledBatches<>(ITEMS, 4, 1, true);
    b.restoreState(state);
    for (int i = 0; i < 7; i++) assertThat(b.next()).isEqualTo(a.next());
    assertThatThrownBy(() -> b.restoreState(new byte[3])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void trainRandomContinuesFromItsState() {
    TrainRandom r = new TrainRandom(5);
    r.nextLong();
    r.nextInt(10);
    TrainRandom copy = new TrainRandom(0);
    copy.setState(r.state());
    for (int i = 0; i < 20; i++) assertThat(copy.nextDouble()).isEqualTo(r.nextDouble());
    assertThat(TrainRandom.derive(1, 2, 3)).isEqualTo(TrainRandom.derive(1, 2, 3)).isNotEqualTo(TrainRandom.derive(1, 3, 2));
    assertThat(Trainer.engineSeed(1, 5, 0)).isNotEqualTo(Trainer.engineSeed(1, 6, 0));
  }

  @Test
  void stepEventEta() {
    StepEvent e = new StepEvent(10, 110, 1, 1, java.util.Map.of("default", 1e-3), 0, 2, 5);
    assertThat(e.etaSeconds()).isEqualTo(50);
    assertThat(e.learningRate()).isEqualTo(1e-3);
    assertThat(ProgressDisplay.format(e)).isEqualTo("step  10/110  2.00 steps/s  eta 50s  loss 1.0000 (avg 1.0000)  lr 1.00e-03");
  }
}
