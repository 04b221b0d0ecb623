package dev.newsrec.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RankService on the tiny trained NRMS: the plain-Java user path scores as the model's NDArray
 * path does, and many requests leave no native array behind on either path.
 */
class RankServiceTest {
  private static ServedModel served;

  @BeforeAll
  static void load() throws Exception {
    served = ServedModel.load(TinyRun.run(), null, List.of(), null, line -> {});
  }

  private static List<RankRequest> requests(int n, long seed) {
    Random random = new Random(seed);
    int size = served.corpus().size();
    List<RankRequest> out = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      List<NewsRef> history = new ArrayList<>();
      int clicks = random.nextInt(2 * TinyRun.HISTORY_MAX); // also longer than the model reads, and empty
      for (int i = 0; i < clicks; i++) history.add(NewsRef.of(served.corpus().id(random.nextInt(size))));
      List<NewsRef> candidates = new ArrayList<>();
      for (int i : random.ints(0, size).distinct().limit(8).toArray()) candidates.add(NewsRef.of(served.corpus().id(i)));
      out.add(new RankRequest(history, candidates, null));
    }
    return out;
  }

  @Test
  void theJavaUserPathScoresAsTheNdarrayPath() {
    try (RankService java = new RankService(served, 1, 100, 0, 100, true);
        RankService ndarray = new RankService(served, 1, 100, 0, 100, false)) {
      assertThat(java.javaUsers()).isTrue();
      assertThat(ndarray.javaUsers()).isFalse();
      double spread = 0;
      for (RankRequest r : requests(200, 3)) {
        float[] a = java.rank(r).scores();
        float[] b = ndarray.rank(r).scores();
        assertThat(a).hasSameSizeAs(b);
        for (int j = 0; j < a.length; j++) {
          assertThat((double) Math.abs(a[j] - b[j])).as("candidate %d", j).isLessThan(1e-5);
          spread = Math.max(spread, Math.abs(b[j] - b[0]));
        }
      }
      assertThat(spread).as("scores differ between candidates").isGreaterThan(0.01);
    }
  }

  @Test
  void manyRequestsLeaveNoNativeArrayBehind() {
    for (boolean javaUsers : new boolean[] {true, false}) {
      try (RankService s = new RankService(served, 2, 100, 0, 100, javaUsers)) {
        List<RankRequest> rs = requests(400, javaUsers ? 5 : 6);
        s.rank(rs.get(0));
        long before = openArrays();
        for (RankRequest r : rs) s.rank(r);
        assertThat(openArrays()).as("open NDArrays after %d requests (java users: %s)", rs.size(), javaUsers)
            .isLessThanOrEqualTo(before);
      }
    }
  }

  /** Open arrays under the manager tree that holds the model's parameters. */
  private static long openArrays() {
    NDManager m = served.model().model().getParameters().get(0).getValue().getArray().getManager();
    while (m.getParentManager() != null && m.getParentManager() != m) m = m.getParentManager();
    return ((BaseNDManager) m).getManagedArrays().size();
  }
}
