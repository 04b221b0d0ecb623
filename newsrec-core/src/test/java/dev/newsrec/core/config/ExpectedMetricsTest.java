package dev.newsrec.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsrec.core.metrics.MetricsResult;
import org.junit.jupiter.api.Test;

class ExpectedMetricsTest {
  @Test
  void eachMetricIsOkWithinTheToleranceAndFailsOutsideIt() {
    ExpectedMetrics e = new ExpectedMetrics(68.89, 33.33, null, 43.10, 0.3, "PUNR, Table 1");
    MetricsResult m = new MetricsResult(0.6918, 0.3370, 0.40, 0.4310, 10, 0, 0);
    var checks = ExpectedMetrics.checks(e, m);
    assertThat(checks).extracting(ExpectedMetrics.Check::metric).containsExactly("AUC", "MRR", "nDCG@5", "nDCG@10");
    // 69.18 vs 68.89: 0.29 off, inside; 33.70 vs 33.33: 0.37 off, outside; nothing expected for nDCG@5
    assertThat(checks).extracting(ExpectedMetrics.Check::verdict).containsExactly("OK", "FAIL", "-", "OK");
    assertThat(checks.get(0).result()).isEqualTo(69.18, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(ExpectedMetrics.checks(e, null)).isEmpty();
  }
}
