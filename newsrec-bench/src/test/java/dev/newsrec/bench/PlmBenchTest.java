package dev.newsrec.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.newsrec.nn.plm.weights.MiniLm;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/** The bench's arithmetic only: no timing is asserted. */
class PlmBenchTest {
  @Test
  void interleavedReportsTheMedianRatePerBodyAndAlternatesThem() {
    StringBuilder order = new StringBuilder();
    AtomicInteger calls = new AtomicInteger();
    // seconds 1, 2, 3, 4 (first call is the warm-up): median of 2, 3, 4 is 3
    DoubleSupplier a = () -> {
      order.append('a');
      return 1 + calls.getAndIncrement();
    };
    DoubleSupplier b = () -> {
      order.append('b');
      return 0.5;
    };
    double[] rates = PlmBench.interleaved(0, 3, new double[] {12, 10}, a, b);
    assertThat(rates[0]).isCloseTo(12.0 / 3, within(1e-9));
    assertThat(rates[1]).isCloseTo(20.0, within(1e-9));
    assertThat(order.toString()).isEqualTo("ababab" + "ab");
  }

  @Test
  void miniLmForwardFlopsPerTokenCountTheMatmuls() {
    // 6 layers x (8 h^2 + 4 h ff + 4 T h) at h 384, ff 1536, T 32
    double expected = 6 * (8.0 * 384 * 384 + 4.0 * 384 * 1536 + 4.0 * 32 * 384);
    assertThat(PlmBench.flopsPerToken(MiniLm.config(), 32)).isEqualTo(expected);
  }

  @Test
  void theReferenceScriptIsFoundFromTheProjectHome() {
    assertThat(TorchReference.script().getFileName().toString()).isEqualTo("torch_reference.py");
  }
}
