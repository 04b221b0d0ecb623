package dev.newsrec.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** Spark starts in local mode on this JVM (Java 17+ module flags from surefire's argLine) and runs a job. */
class SparkSmokeTest {
  @Test
  void localModeRunsAJobOnTwoThreads() {
    try (JavaSparkContext sc = SparkEngine.start("local[2]", "smoke")) {
      List<Integer> xs = IntStream.rangeClosed(1, 1000).boxed().toList();
      long sumOfSquares = sc.parallelize(xs, 4).map(x -> (long) x * x).reduce(Long::sum);
      long expected = 0;
      for (int x : xs) expected += (long) x * x;
      assertThat(sumOfSquares).isEqualTo(expected);
      assertThat(sc.defaultParallelism()).isEqualTo(2);
    }
  }
}
