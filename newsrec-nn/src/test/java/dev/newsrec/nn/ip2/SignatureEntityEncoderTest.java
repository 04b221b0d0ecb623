package dev.newsrec.nn.ip2;

import static dev.newsrec.nn.ip2.Ip2Testing.corpus;
import static dev.newsrec.nn.ip2.Ip2Testing.news;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.newsrec.core.UserException;
import dev.newsrec.core.data.EntityEmbeddings;
import dev.newsrec.core.data.IdIndex;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.nn.model.NewsInputs;
import dev.newsrec.nn.plm.PlmBlock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SEE: max-norm, news without entities, lookups by string, TransE initialisation, saved tables. */
class SignatureEntityEncoderTest {
  @TempDir Path tmp;

  static final NewsCorpus TRAIN = corpus(
      news("N1", "sports", "golf", "Woods wins again", "Q1", "Q2"),
      news("N2", "news", "politics", "Senate votes", "Q3"),
      news("N3", "sports", "tennis", "A quiet day"),
      news("N4", "news", "world", "Nothing to see"));

  static SignatureEntityEncoder see(NDManager m, NewsInputs inputs, boolean categories, List<String> log) {
    Ip2Options o = Ip2Testing.options("minilm", true, Ip2Options.LEARNED, categories, Ip2Options.RANDOM, null);
    SignatureEntityEncoder see = new SignatureEntityEncoder(Ip2Tables.of(inputs), o, log::add);
    see.initialize(m, DataType.FLOAT32, new Shape(1, 1));
    return see;
  }

  @Test
  void everyRowTheEncoderReadsHasAtMostTheMaxNorm() {
    try (NDManager m = Ip2Testing.manager()) {
      SignatureEntityEncoder see = see(m, Ip2Testing.inputs(TRAIN, "minilm"), false, new ArrayList<>());
      // Rows of norm 40, 0.5 and 0: scaled to 1, kept, kept.
      float[] rows = new float[3 * 16];
      for (int k = 0; k < 16; k++) rows[k] = 10f;
      rows[16] = 0.3f;
      rows[17] = 0.4f;
      NDArray x = m.create(rows, new Shape(1, 3, 16));
      float[] out = see.maxNorm(x).toFloatArray();
      assertThat(norm(out, 0, 16)).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
      assertThat(norm(out, 16, 16)).isCloseTo(0.5, org.assertj.core.api.Assertions.within(1e-6));
      assertThat(norm(out, 32, 16)).isZero();

      // Blow the memory up: the signatures must not change beyond what the rescaling allows, i.e.
      // a row of norm 1000 reads exactly as the same row of norm 1.
      NDArray memory = see.memory().getArray();
      float[] v = memory.toFloatArray();
      float[] big = v.clone();
      float[] unit = v.clone();
      for (int r = 0; r < v.length / 16; r++) {
        double n = norm(v, r * 16, 16);
        for (int k = 0; k < 16; k++) {
          big[r * 16 + k] = (float) (v[r * 16 + k] / n * 1000);
          unit[r * 16 + k] = (float) (v[r * 16 + k] / n);
        }
      }
      NewsInputs in = Ip2Testing.inputs(TRAIN, "minilm");
      ParameterStore ps = new ParameterStore(m, false);
      PlmBlock.assign(memory, big);
      float[] fromBig = see.encode(ps, m, in, new int[] {0, 1}, false).toFloatArray();
      PlmBlock.assign(memory, unit);
      float[] fromUnit = see.encode(ps, m, in, new int[] {0, 1}, false).toFloatArray();
      assertThat(fromBig).containsExactly(fromUnit, org.assertj.core.api.Assertions.within(1e-4f));
    }
  }

  /**
   * A training pass (forward and backward) and an inference pass leave no array on the manager
   * that holds the parameters: what stays there is never freed (the SEE once leaked its whole
   * pass there, about 12 MB per fine-tuning step on MIND-small's shapes).
   */
  @Test
  void encodingLeavesNoArrayOnTheParametersManager() {
    try (NDManager m = Ip2Testing.manager()) {
      NewsInputs in = Ip2Testing.inputs(TRAIN, "minilm");
      for (boolean categories : new boolean[] {false, true}) {
        SignatureEntityEncoder see = see(m, in, categories, new ArrayList<>());
        NDManager params = see.memory().getArray().getManager();
        int before = -1;
        for (int pass = 0; pass < 3; pass++) { // the first pass may create lasting state
          for (boolean training : new boolean[] {true, false}) {
            try (NDManager step = m.newSubManager();
                ai.djl.training.GradientCollector gc =
                    ai.djl.engine.Engine.getInstance().newGradientCollector()) {
              NDArray s = see.encode(new ParameterStore(step, false), step, in,
                  new int[] {0, 1, 2, 3, 1}, training);
              if (training) gc.backward(s.sum());
            }
          }
          int now = ((ai.djl.ndarray.BaseNDManager) params).getManagedArrays().size();
          if (pass == 0) before = now;
          assertThat(now).as("arrays on the parameters' manager after pass %d", pass).isEqualTo(before);
        }
      }
    }
  }

  static double norm(float[] x, int from, int n) {
    double s = 0;
    for (int k = from; k < from + n; k++) s += x[k] * x[k];
    return Math.sqrt(s);
  }

  @Test
  void newsWithoutEntitiesGetASignature() {
    try (NDManager m = Ip2Testing.manager()) {
      NewsInputs in = Ip2Testing.inputs(TRAIN, "minilm");
      ParameterStore ps = new ParameterStore(m, false);
      // The paper's SEE: handle and entities only, so all entity-less news share the handle's signature.
      SignatureEntityEncoder plain = see(m, in, false, new ArrayList<>());
      float[] s = plain.encode(ps, m, in, new int[] {2, 3, 0}, false).toFloatArray();
      assertThat(s).hasSize(3 * 32).doesNotContain(Float.NaN);
      float[] handle = plain.handleOnly(ps, m, 1, false).toFloatArray();
      assertThat(java.util.Arrays.copyOfRange(s, 0, 32)).containsExactly(handle, org.assertj.core.api.Assertions.within(1e-5f));
      assertThat(java.util.Arrays.copyOfRange(s, 32, 64)).containsExactly(handle, org.assertj.core.api.Assertions.within(1e-5f));
      assertThat(java.util.Arrays.copyOfRange(s, 64, 96)).isNotEqualTo(handle);

      // With categories (the authors' code) they differ by category and subcategory.
      SignatureEntityEncoder withCategories = see(m, in, true, new ArrayList<>());
      float[] c = withCategories.encode(ps, m, in, new int[] {2, 3}, false).toFloatArray();
      double diff = 0;
      for (int k = 0; k < 32; k++) diff += Math.abs(c[k] - c[32 + k]);
      assertThat(diff).isGreaterThan(1e-3);
    }
  }

  @Test
  void anotherCorpusIsReadByStringAndUnknownIdsReadTheUnknownRow() {
    try (NDManager m = Ip2Testing.manager()) {
      NewsInputs train = Ip2Testing.inputs(TRAIN, "minilm");
      List<String> log = new ArrayList<>();
      SignatureEntityEncoder see = see(m, train, true, log);
      // A dev corpus in another order, with an entity and a category the model never saw.
      NewsCorpus devCorpus = corpus(
          news("D1", "weather", "storms", "Storm hits", "Q9", "Q3"),
          news("D2", "sports", "golf", "Woods again", "Q2"));
      NewsInputs dev = Ip2Testing.inputs(devCorpus, "minilm");
      assertThat(dev.entityIds()).containsExactly("Q9", "Q3", "Q2");
      assertThat(see.entityRow(dev, 0)).isEqualTo(Ip2Tables.UNKNOWN);
      assertThat(see.entityRow(dev, 1)).isEqualTo(see.entityRow(train, 2)).isEqualTo(3);
      assertThat(see.entityRow(dev, 2)).isEqualTo(see.entityRow(train, 1)).isEqualTo(2);
      assertThat(log).anyMatch(l -> l.contains("1 of 3 title entities of this corpus are unknown"));

      // D1's signature is what the SEE gives for rows [unknown, Q3] and unknown categories.
      ParameterStore ps = new ParameterStore(m, false);
      float[] viaCorpus = see.encode(ps, m, dev, new int[] {0}, false).toFloatArray();
      NDArray rows = m.create(new long[] {Ip2Tables.UNKNOWN, 3}, new Shape(1, 2));
      NDArray mask = m.create(new long[] {1, 1}, new Shape(1, 2));
      NDArray unknown = m.create(new long[] {Ip2Tables.UNKNOWN});
      float[] direct = see.encode(ps, rows, mask, unknown, unknown, false).toFloatArray();
      assertThat(viaCorpus).containsExactly(direct, org.assertj.core.api.Assertions.within(1e-6f));

      // News added at run time with a new entity grow the lookup instead of failing.
      int added = dev.add(news("D3", "news", "politics", "Senate again", "Q1", "Q77"), new int[] {101, 102});
      assertThat(see.entityRow(dev, dev.entities(added)[0])).isEqualTo(1);
      assertThat(see.entityRow(dev, dev.entities(added)[1])).isEqualTo(Ip2Tables.UNKNOWN);
    }
  }

  @Test
  void tablesRoundTripThroughTheModelFolder() {
    Ip2Tables t = Ip2Tables.of(Ip2Testing.inputs(TRAIN, "minilm"));
    t.write(tmp);
    Ip2Tables back = Ip2Tables.read(tmp);
    assertThat(back.entities()).containsExactly("Q1", "Q2", "Q3");
    assertThat(back.entityRow("Q3")).isEqualTo(3);
    assertThat(back.categoryRow("news")).isEqualTo(2);
    assertThat(back.subcategoryRow("tennis")).isEqualTo(3);
    assertThat(back.categoryRow("weather")).isEqualTo(Ip2Tables.UNKNOWN);
    assertThatThrownBy(() -> Ip2Tables.read(tmp.resolve("nowhere"))).isInstanceOf(UserException.class)
        .hasMessageContaining(Ip2Tables.FILE);
  }

  @Test
  void transEInitialisationCopiesTheVectorsAndCountsTheMissingIds() {
    try (NDManager m = Ip2Testing.manager()) {
      NewsInputs in = Ip2Testing.inputs(TRAIN, "minilm");
      IdIndex ids = new IdIndex();
      ids.add("Q1");
      ids.add("Q3");
      ids.add("Q999");
      float[] values = new float[3 * 16];
      for (int i = 0; i < values.length; i++) values[i] = 0.01f * i;
      in.withEntityVectors(new EntityEmbeddings(ids, values, 16), line -> {});
      List<String> log = new ArrayList<>();
      SignatureEntityEncoder see = see(m, in, false, log);
      float[] before = see.memory().getArray().toFloatArray();
      int missing = Ip2.transE(see, in, log::add);
      assertThat(missing).isEqualTo(1); // Q2 has no vector
      assertThat(log).anyMatch(l -> l.contains("2 of 3 entities, 1 missing"));
      float[] after = see.memory().getArray().toFloatArray();
      // Row 1 = Q1 (vector row 0), row 3 = Q3 (vector row 1); row 2 = Q2 keeps its random start.
      assertThat(java.util.Arrays.copyOfRange(after, 16, 32)).containsExactly(java.util.Arrays.copyOfRange(values, 0, 16));
      assertThat(java.util.Arrays.copyOfRange(after, 48, 64)).containsExactly(java.util.Arrays.copyOfRange(values, 16, 32));
      assertThat(java.util.Arrays.copyOfRange(after, 32, 48)).containsExactly(java.util.Arrays.copyOfRange(before, 32, 48));

      // No vectors at all (no entity_embedding.vec): every row missing, said in the log, memory untouched.
      NewsInputs bare = Ip2Testing.inputs(TRAIN, "minilm");
      SignatureEntityEncoder other = see(m, bare, false, log);
      float[] random = other.memory().getArray().toFloatArray();
      assertThat(Ip2.transE(other, bare, log::add)).isEqualTo(3);
      assertThat(log).anyMatch(l -> l.contains("none of the 3 title entities has a TransE vector"));
      assertThat(other.memory().getArray().toFloatArray()).containsExactly(random);
    }
  }
}
