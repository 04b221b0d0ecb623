package dev.newsrec.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImpressionsTest {
  private static NewsCorpus corpus() {
    NewsCorpus c = new NewsCorpus();
    for (int i = 0; i < 6; i++) c.add(News.of("N" + i, "", "", "t" + i));
    return c;
  }

  @Test
  void historiesAreNumberedPerUserChangeAndCopiedOut() {
    byte[] labels = {1, 0};
    Impressions imps = Impressions.builder(corpus())
        .add("1", "U1", 0, new int[] {0, 1}, new int[] {2, 3}, labels)
        .add("2", "U2", 0, new int[] {0, 1}, new int[] {2, 3}, labels) // same clicks, other user
        .add("impression-3", "U1", 0, new int[] {0, 1}, new int[] {4, 5}, labels) // unchanged
        .add("4", "U1", 0, new int[] {0, 1, 4}, new int[] {2, 3}, labels) // grew
        .add("5", "U3", 0, new int[0], new int[] {2, 3}, labels)
        .add("6", "U4", 0, new int[0], new int[] {2, 3}, labels)
        .build();
    assertThat(imps.historyIndex(2)).isEqualTo(imps.historyIndex(0));
    assertThat(imps.historyIndex(1)).isNotEqualTo(imps.historyIndex(0));
    assertThat(imps.historyIndex(3)).isNotEqualTo(imps.historyIndex(0));
    assertThat(imps.distinctHistories()).isEqualTo(5);
    assertThat(imps.history(3)).containsExactly(0, 1, 4);
    assertThat(imps.historyLength(3)).isEqualTo(3);
    assertThat(imps.history(4)).isEmpty();
    assertThat(imps.historyLength(5)).isZero();
    assertThat(imps.history(1)).containsExactly(0, 1);
    // a copy: changing it leaves the stored history alone
    imps.history(0)[0] = 5;
    assertThat(imps.history(0)).containsExactly(0, 1);
    assertThat(imps.impressionId(0)).isEqualTo("1");
    assertThat(imps.impressionId(2)).isEqualTo("impression-3");
    assertThat(imps.impressionId(5)).isEqualTo("6");
    assertThatThrownBy(() -> imps.impressionId(6)).isInstanceOf(IndexOutOfBoundsException.class);
    // head and filter keep ids, histories and their sharing
    Impressions kept = imps.filter(i -> i != 1);
    assertThat(kept.impressionId(1)).isEqualTo("impression-3");
    assertThat(kept.historyIndex(1)).isEqualTo(kept.historyIndex(0));
    assertThat(kept.history(2)).containsExactly(0, 1, 4);
    assertThat(imps.head(2).history(1)).containsExactly(0, 1);
  }

  @Test
  void manyImpressionsGrowEveryColumn() {
    Impressions.Builder b = Impressions.builder(corpus());
    for (int i = 0; i < 5000; i++) {
      int[] h = new int[i % 7];
      for (int j = 0; j < h.length; j++) h[j] = (i + j) % 6;
      b.add("imp" + i, "U" + (i % 300), i, h, new int[] {i % 6}, new byte[] {1});
    }
    Impressions imps = b.build();
    for (int i = 0; i < 5000; i += 37) {
      assertThat(imps.impressionId(i)).isEqualTo("imp" + i);
      assertThat(imps.historyLength(i)).isEqualTo(i % 7);
      if (i % 7 > 0) assertThat(imps.history(i)[0]).isEqualTo(i % 6);
      assertThat(imps.time(i)).isEqualTo(i);
    }
  }
}
