package dev.newsrec.nn.punr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.newsrec.core.config.ConfigProblems;
import dev.newsrec.core.synth.SyntheticWorld;
import dev.newsrec.nn.model.NewsInputs;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.model.UserBatch;
import dev.newsrec.nn.plm.BertEmbeddings;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.weights.HfFolder;
import dev.newsrec.nn.plm.tokenizer.PlmTokenizer;
import dev.newsrec.nn.plm.weights.PretrainedPlm;
import dev.newsrec.nn.rec.HistoryOptions;
import dev.newsrec.nn.train.AdamW;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PUNR model: segment table neutral at start, Siamese sharing, poolings, options. */
class PunrModelTest {
  @TempDir static Path tmp;
  static SyntheticWorld world;
  static Path plm;

  @BeforeAll
  static void setUp() throws Exception {
    PunrTesting.engine();
    world = PunrTesting.world();
    plm = PunrTesting.folder(tmp.resolve("plm"), world.corpus(), 2, 1, 0f);
  }

  /** A user batch of the given histories (corpus indices); its news vectors are unused. */
  static UserBatch batch(NDManager m, NewsInputs inputs, int[][] histories) {
    List<Integer> news = new ArrayList<>();
    int longest = 1;
    for (int[] h : histories) longest = Math.max(longest, h.length);
    int[][] rows = new int[histories.length][longest];
    for (int b = 0; b < histories.length; b++) {
      java.util.Arrays.fill(rows[b], -1);
      for (int l = 0; l < histories[b].length; l++) {
        rows[b][l] = news.size();
        news.add(histories[b][l]);
      }
    }
    return new UserBatch(m.zeros(new Shape(news.size(), 32)), rows,
        news.stream().mapToInt(Integer::intValue).toArray(), inputs);
  }

  @Test
  void theSegmentTableLeavesTheLoadedPlmsOutputUnchanged() throws Exception {
    PunrOptions o = PunrTesting.options(plm, true, "cls", null);
    try (NDManager m = NDManager.newBaseManager(); PlmTokenizer tok = PunrTesting.tokenizer(o)) {
      NewsRecModel net = PunrTesting.build(o, m, 1);
      BertModel plain = HfFolder.load(plm, m);
      NewsInputs inputs = PunrTesting.inputs(world.corpus(), tok, o.titleTokens());
      int[] history = world.train().impressions().history(5);
      assertThat(history.length).isGreaterThan(3);
      UserDocuments.Document d = ((PunrUserEncoder) net.userEncoder()).documents(inputs.titles()).build(history);
      assertThat(d.segments()[d.length() - 1]).isPositive();
      NDArray ids = m.create(java.util.Arrays.stream(d.ids()).asLongStream().toArray(), new Shape(1, d.length()));
      NDArray mask = m.ones(new Shape(1, d.length()), ai.djl.ndarray.types.DataType.INT64);
      NDArray expected = plain.encode(new ParameterStore(m, false), ids, mask, null, null, false);
      // The user vector is the [CLS] output of the plain PLM over the same document.
      NDArray user = net.users(new ParameterStore(m, false), batch(m, inputs, new int[][] {history}), false);
      assertThat(user.sub(expected.get(":, 0, :")).abs().max().getFloat()).isLessThan(1e-6f);
      // Every position, with the segments given.
      BertModel punrBert = ((PunrEncoder) net.newsEncoder()).plm();
      NDArray segs = m.create(java.util.Arrays.stream(d.segments()).asLongStream().toArray(), new Shape(1, d.length()));
      NDArray all = punrBert.encode(new ParameterStore(m, false), ids, mask, null, segs, false);
      assertThat(all.sub(expected).abs().max().getFloat()).isLessThan(1e-6f);
    }
  }

  @Test
  void theBundledMiniLmIsUnchangedByTheSegmentTable() {
    try (NDManager m = NDManager.newBaseManager()) {
      BertModel plain = PretrainedPlm.load("minilm", m).model();
      BertModel withTable = PretrainedPlm.load("minilm", m,
          b -> b.optSegmentEmbedding(50, BertEmbeddings.SegmentMode.ADDED)).model();
      long[] ids = {101, 2047, 2739, 102, 2358, 3119, 102};
      NDArray x = m.create(ids, new Shape(1, ids.length));
      NDArray mask = m.ones(new Shape(1, ids.length), ai.djl.ndarray.types.DataType.INT64);
      NDArray segs = m.create(new long[] {0, 0, 0, 0, 1, 1, 1}, new Shape(1, ids.length));
      ParameterStore ps = new ParameterStore(m, false);
      NDArray a = plain.encode(ps, x, mask, null, null, false);
      NDArray b = withTable.encode(ps, x, mask, null, segs, false);
      assertThat(a.sub(b).abs().max().getFloat()).isLessThan(1e-6f);
    }
  }

  @Test
  void siameseParametersAppearOnceAndGetTheGradientOfBothSides() {
    PunrOptions o = PunrTesting.options(plm, true, "attention", null);
    try (NDManager m = NDManager.newBaseManager(); PlmTokenizer tok = PunrTesting.tokenizer(o)) {
      NewsRecModel net = PunrTesting.build(o, m, 1);
      Map<Parameter, String> seen = new IdentityHashMap<>();
      for (Pair<String, Parameter> p : net.getParameters()) {
        String before = seen.put(p.getValue(), p.getKey());
        assertThat(before).as("%s also as %s", p.getKey(), before).isNull();
      }
      assertThat(seen).hasSize(net.getParameters().size());
      // The user side registers nothing of its own: the news side's BERT and pooling serve both.
      assertThat(((PunrUserEncoder) net.userEncoder()).getParameters().size()).isZero();
      PunrEncoder enc = (PunrEncoder) net.newsEncoder();
      assertThat(((PunrUserEncoder) net.userEncoder()).encoder()).isSameAs(enc);
      try (AdamW opt = AdamW.builder().learningRate(1e-3).build(net)) {
        assertThat(opt.parameterNames()).doesNotHaveDuplicates().hasSize(seen.size());
        NewsInputs inputs = PunrTesting.inputs(world.corpus(), tok, o.titleTokens());
        int[][] histories = {world.train().impressions().history(0), world.train().impressions().history(1)};
        int[] candidates = {3, 17, 40};
        List<Parameter> probes = List.of(enc.plm().embeddings().wordEmbedding(),
            enc.plm().encoder().layers().get(1).namedParameters().values().iterator().next(),
            enc.attention().namedParameters().get("query"));
        float[][] user = gradients(m, opt, probes, () -> net.users(new ParameterStore(m, false),
            batch(m, inputs, histories), true).sum());
        float[][] news = gradients(m, opt, probes, () -> net.newsEncoder().encode(new ParameterStore(m, false), m,
            inputs, candidates, true).sum());
        float[][] both = gradients(m, opt, probes, () -> net.users(new ParameterStore(m, false),
            batch(m, inputs, histories), true).sum().add(net.newsEncoder().encode(new ParameterStore(m, false), m,
                inputs, candidates, true).sum()));
        for (int i = 0; i < probes.size(); i++) {
          assertThat(norm(user[i])).as("user gradient of probe %d", i).isGreaterThan(0);
          assertThat(norm(news[i])).as("news gradient of probe %d", i).isGreaterThan(0);
          for (int k = 0; k < both[i].length; k++) {
            assertThat((double) both[i][k]).isCloseTo(user[i][k] + news[i][k],
                org.assertj.core.api.Assertions.within(1e-5 + 1e-4 * Math.abs(both[i][k])));
          }
        }
      }
    }
  }

  static float[][] gradients(NDManager m, AdamW opt, List<Parameter> probes,
      java.util.function.Supplier<NDArray> loss) {
    opt.zeroGradients();
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      gc.backward(loss.get());
    }
    float[][] out = new float[probes.size()][];
    for (int i = 0; i < probes.size(); i++) out[i] = probes.get(i).getArray().getGradient().toFloatArray();
    return out;
  }

  static double norm(float[] x) {
    double s = 0;
    for (float v : x) s += v * v;
    return Math.sqrt(s);
  }

  @Test
  void separateEncodersEachHaveTheirOwnBert() {
    PunrOptions o = PunrTesting.options(plm, false, "cls", null);
    try (NDManager m = NDManager.newBaseManager()) {
      NewsRecModel net = PunrTesting.build(o, m, 1);
      PunrUserEncoder user = (PunrUserEncoder) net.userEncoder();
      assertThat(user.encoder()).isNotSameAs(net.newsEncoder());
      assertThat(user.getParameters().size()).isEqualTo(((PunrEncoder) net.newsEncoder()).getParameters().size());
      Map<Parameter, String> seen = new IdentityHashMap<>();
      for (Pair<String, Parameter> p : net.getParameters()) assertThat(seen.put(p.getValue(), p.getKey())).isNull();
    }
  }

  /**
   * cache_frozen: candidate vectors from the cached embeddings + lower layer and the trainable top
   * layer equal the whole encoder's in evaluation mode, with a segment table that is not zero (so
   * the cache must read segment 0 as a title does).
   */
  @Test
  void cachedFrozenLayersGiveTheWholeEncodersCandidateVectors() {
    PunrOptions base = PunrTesting.options(plm, true, "attention", null);
    PunrOptions o = new PunrOptions(base.plm(), 0, 1, true, base.titleTokens(), base.docTokens(),
        true, "attention", base.queryDim(), base.segmentRows(), "cpu", base.history(), null);
    try (NDManager m = NDManager.newBaseManager(); PlmTokenizer tokenizer = PunrTesting.tokenizer(o)) {
      NewsRecModel net = PunrTesting.build(o, m, 1);
      PunrEncoder enc = (PunrEncoder) net.newsEncoder();
      Parameter segment = enc.plm().namedParameters().get("embeddings.segment_embeddings.weight");
      segment.getArray().set(m.randomNormal(segment.getArray().getShape()).mul(0.5).toFloatArray());
      NewsInputs inputs = PunrTesting.inputs(world.corpus(), tokenizer, o.titleTokens());
      List<String> log = new ArrayList<>();
      dev.newsrec.nn.rec.NewsVectors cached = Punr.MODEL.trainingNews(o, net, inputs, m, log::add);
      assertThat(log).anyMatch(l -> l.contains("embeddings + 1 layers"));
      ParameterStore ps = new ParameterStore(m, false);
      int[] news = java.util.stream.IntStream.range(0, 40).toArray();
      try (NDManager s = m.newSubManager()) {
        NDArray whole = net.newsEncoder().encode(ps, s, inputs, news, false);
        NDArray fromCache = cached.encode(ps, s, news, false);
        assertThat(fromCache.getShape()).isEqualTo(whole.getShape());
        assertThat(whole.sub(fromCache).abs().max().getFloat()).isLessThan(1e-4f);
        assertThat(whole.sub(whole.get(0)).abs().max().getFloat()).isGreaterThan(1e-2f);
      }
    }
  }

  @Test
  void averagePoolingIsTheMaskedMean() {
    PunrOptions o = PunrTesting.options(plm, true, "average", null);
    try (NDManager m = NDManager.newBaseManager()) {
      NewsRecModel net = PunrTesting.build(o, m, 1);
      PunrEncoder enc = (PunrEncoder) net.newsEncoder();
      NDArray hidden = m.randomNormal(new Shape(2, 4, 32));
      NDArray mask = m.create(new long[] {1, 1, 1, 1, 1, 1, 0, 0}, new Shape(2, 4));
      NDArray pooled = enc.pool(new ParameterStore(m, false), hidden, mask, false);
      NDArray row1 = hidden.get("1, 0:2, :").mean(new int[] {0});
      assertThat(pooled.get(1).sub(row1).abs().max().getFloat()).isLessThan(1e-6f);
      assertThat(pooled.get(0).sub(hidden.get(0).mean(new int[] {0})).abs().max().getFloat()).isLessThan(1e-6f);
    }
  }

  @Test
  void badOptionsNameTheirKeys() {
    assertThatThrownBy(() -> new PunrOptions("minilm", null, null, null, null, null, null, "max", null, 10, null,
        new HistoryOptions(50, null), null))
        .isInstanceOf(ConfigProblems.Invalid.class)
        .hasMessageContaining("pooling").hasMessageContaining("segment_rows");
    assertThatThrownBy(() -> new PunrOptions("minilm", null, null, null, null, 1000, null, null, null, null, null,
        null, null)).hasMessageContaining("doc_tokens");
    assertThatThrownBy(() -> new BehaviourOptions(null, null, null, 1.5, null, false, false, null, null, null))
        .hasMessageContaining("alpha").hasMessageContaining("generation");
    PunrOptions d = PunrOptions.defaults();
    assertThat(d.titleTokens()).isEqualTo(30);
    assertThat(d.docTokens()).isEqualTo(512);
    assertThat(d.history().max()).isEqualTo(50);
    assertThat(d.training().learningRate()).isEqualTo(3e-5);
    assertThat(d.training().batchSize()).isEqualTo(128);
    assertThat(BehaviourOptions.defaults().training().steps()).isEqualTo(10_000);
    assertThat(DecoderWarmupOptions.defaults().training().learningRate()).isEqualTo(3e-4);
  }
}
