package dev.newsrec.nn.ip2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import dev.newsrec.nn.model.NewsInputs;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.plm.BertConfig;
import dev.newsrec.nn.plm.BertEncoder;
import dev.newsrec.nn.plm.Dense;
import dev.newsrec.nn.plm.PlmBlock;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Consumer;

/**
 * The Signature Entity Encoder (SEE, Section 4.1.2): a learnable entity memory, a handle entity
 * [ent] prepended to the title's entities (optionally followed by the news's category and
 * subcategory), sinusoidal positions (Eq. 7), L Transformer layers (Eq. 8); the output at the
 * handle, projected to the news width, is the news's signature entity. A news without entities
 * still gets one: the handle (and its categories) alone.
 *
 * <p>Parameters: {@code handle} [1,E], {@code entity_memory} [1 + entities, E] (row 0 = unknown
 * entity), with categories {@code category_memory} and {@code subcategory_memory} (row 0 =
 * unknown), {@code transformer.*} (post-LayerNorm layers as BERT's), {@code projection.*}.
 */
public final class SignatureEntityEncoder extends PlmBlock {
  private final Ip2Tables tables;
  private final int entityDim;
  private final int outputDim;
  private final float maxNorm;
  private final int maxEntities;
  private final boolean categories;
  private final Parameter handle;
  private final Parameter memory;
  private final Parameter categoryMemory;
  private final Parameter subcategoryMemory;
  private final BertEncoder transformer;
  private final Dense projection;
  private final Map<NewsInputs, CorpusRows> corpora = Collections.synchronizedMap(new WeakHashMap<>());
  private final Consumer<String> log;

  /**
   * @param tables the strings behind the memory rows
   * @param o the model's options (entity_dim, entity_max_norm, max_entities, see_*)
   * @param log where the share of unknown entities of each new corpus is reported
   */
  public SignatureEntityEncoder(Ip2Tables tables, Ip2Options o, Consumer<String> log) {
    this.tables = tables;
    this.entityDim = o.entityDim();
    this.outputDim = o.newsDim();
    this.maxNorm = o.entityMaxNorm().floatValue();
    this.maxEntities = o.maxEntities();
    this.categories = o.seeCategories();
    this.log = log;
    // Rows of about unit norm: below the max-norm, so the renorm does not flatten them all at once.
    NormalInitializer init = new NormalInitializer((float) (1 / Math.sqrt(entityDim)));
    handle = param("handle", Parameter.Type.WEIGHT, init, new Shape(1, entityDim));
    memory = param("entity_memory", Parameter.Type.WEIGHT, init, new Shape(tables.entityRowCount(), entityDim));
    categoryMemory = categories
        ? param("category_memory", Parameter.Type.WEIGHT, init, new Shape(tables.categoryRowCount(), entityDim))
        : null;
    subcategoryMemory = categories
        ? param("subcategory_memory", Parameter.Type.WEIGHT, init, new Shape(tables.subcategoryRowCount(), entityDim))
        : null;
    float p = o.seeDropout().floatValue();
    // A BERT layer stack without its embeddings; vocabulary and position sizes are unused here.
    BertConfig layers = new BertConfig(1, entityDim, o.seeLayers(), o.seeHeads(), o.seeFfn(), 1, 1,
        1e-12f, p, p);
    transformer = child("transformer", BertEncoder.builder().setConfig(layers).build());
    // Built from scratch, so PyTorch's Transformer initialisation (Xavier) instead of BERT's
    // N(0, 0.02): with that small a start the handle's residual stream dwarfs what it reads from
    // the entities, and all signatures begin nearly parallel (cosine ~1, no contrast to learn from).
    transformer.setInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
        XavierInitializer.FactorType.AVG, 3f), Parameter.Type.WEIGHT);
    projection = child("projection", Dense.builder().setInputSize(entityDim).setOutputSize(outputDim).build());
  }

  public Ip2Tables tables() { return tables; }

  public int dim() { return outputDim; }

  /** The entity memory [1 + entities, E] (row 0 = unknown), for TransE initialisation and tests. */
  public Parameter memory() { return memory; }

  /** Row of the memory for entity e (an index into inputs.entityIds()) of the given corpus. */
  public int entityRow(NewsInputs inputs, int entity) { return rows(inputs).entity(inputs, entity); }

  /** Signatures [N, news_dim] of the given corpus news, on m. */
  public NDArray encode(ParameterStore ps, NDManager m, NewsInputs inputs, int[] news, boolean training) {
    CorpusRows r = rows(inputs);
    int longest = 0;
    for (int n : news) longest = Math.max(longest, Math.min(maxEntities, inputs.entities(n).length));
    int k = Math.max(1, longest);
    long[] ents = new long[news.length * k];
    long[] mask = new long[news.length * k];
    long[] cats = new long[news.length];
    long[] subs = new long[news.length];
    for (int i = 0; i < news.length; i++) {
      int[] es = inputs.entities(news[i]);
      for (int j = 0; j < Math.min(maxEntities, es.length); j++) {
        ents[i * k + j] = r.entity(inputs, es[j]);
        mask[i * k + j] = 1;
      }
      if (categories) {
        cats[i] = r.category(inputs, inputs.category(news[i]));
        subs[i] = r.subcategory(inputs, inputs.subcategory(news[i]));
      }
    }
    NDArray entityIdx = m.create(ents, new Shape(news.length, k));
    NDArray entityMask = m.create(mask, new Shape(news.length, k));
    return categories
        ? encode(ps, entityIdx, entityMask, m.create(cats), m.create(subs), training)
        : encode(ps, entityIdx, entityMask, null, null, training);
  }

  /** Signatures of news that have a title only: the handle alone (with unknown categories). */
  public NDArray handleOnly(ParameterStore ps, NDManager m, int n, boolean training) {
    NDArray idx = m.zeros(new Shape(n, 1), ai.djl.ndarray.types.DataType.INT64);
    NDArray mask = m.zeros(new Shape(n, 1), ai.djl.ndarray.types.DataType.INT64);
    NDArray unknown = m.zeros(new Shape(n), ai.djl.ndarray.types.DataType.INT64);
    return encode(ps, idx, mask, categories ? unknown : null, categories ? unknown : null, training);
  }

  /**
   * entities and mask [N,K] (memory rows; mask 0 = padding), categories and subcategories [N] or
   * null; returns signatures [N, news_dim] on entities' manager.
   */
  public NDArray encode(ParameterStore ps, NDArray entities, NDArray mask, NDArray cats, NDArray subs,
      boolean training) {
    return scoped(training, () -> {
      NDManager m = entities.getManager();
      long n = entities.getShape().get(0);
      // An op's result joins the manager of its receiver: an op on the handle parameter would put
      // the result, and everything computed from it (the whole SEE pass with its autograd graph),
      // on the parameters' manager, which is never closed: about 12 MB per fine-tuning step on
      // MIND-small's shapes. So the handle row is moved to this call's manager first.
      NDArray h = ps.getValue(handle, entities.getDevice(), training).expandDims(0);
      h.attach(m);
      NDList parts = new NDList(h.broadcast(n, 1, entityDim));
      NDArray prefixMask = m.ones(new Shape(n, 1), mask.getDataType());
      if (cats != null) {
        parts.add(NewsRecModel.gather(ps.getValue(categoryMemory, entities.getDevice(), training), cats.expandDims(1)));
        parts.add(NewsRecModel.gather(ps.getValue(subcategoryMemory, entities.getDevice(), training), subs.expandDims(1)));
        prefixMask = m.ones(new Shape(n, 3), mask.getDataType());
      }
      parts.add(NewsRecModel.gather(ps.getValue(memory, entities.getDevice(), training), entities));
      // Scaled by sqrt(E) as in Vaswani et al.: rows of norm <= 1 would otherwise be drowned by
      // the positions (norm sqrt(E / 2)), and every signature would look alike.
      NDArray x = scale(maxNorm(NDArrays.concat(parts, 1)), (float) Math.sqrt(entityDim));
      long length = x.getShape().get(1);
      x = x.add(positions(m, length, entityDim));
      NDArray full = prefixMask.concat(mask, 1);
      NDArray out = transformer.apply(ps, x, paddingMask(full), training);
      return projection.apply(ps, out.get(new NDIndex(":, 0, :")), training);
    }, entities, mask, cats, subs);
  }

  /** Rows scaled down to at most the max norm (nn.Embedding's max_norm, applied to what is read). */
  NDArray maxNorm(NDArray x) {
    NDArray norm = x.norm(new int[] {-1}, true);
    try (NDArray limit = x.getManager().full(new Shape(), maxNorm, x.getDataType())) {
      return x.mul(limit.div(norm.add(1e-7f)).clip(0f, 1f));
    }
  }

  /** Sinusoidal position encodings [T, E]: sin at even, cos at odd offsets (Eq. 7). */
  static NDArray positions(NDManager m, long length, int dim) {
    float[] pe = new float[(int) length * dim];
    for (int pos = 0; pos < length; pos++) {
      for (int i = 0; i < dim; i++) {
        double angle = pos / Math.pow(10000, (i - i % 2) / (double) dim);
        pe[pos * dim + i] = (float) (i % 2 == 0 ? Math.sin(angle) : Math.cos(angle));
      }
    }
    return m.create(pe, new Shape(length, dim));
  }

  private CorpusRows rows(NewsInputs inputs) {
    return corpora.computeIfAbsent(inputs, in -> new CorpusRows());
  }

  /**
   * One corpus's indices -> memory rows, by string through the tables; grown when the corpus
   * gains entities or categories (news added while serving).
   */
  private final class CorpusRows {
    private int[] entities = new int[0];
    private int[] categories = new int[0];
    private int[] subcategories = new int[0];

    synchronized int entity(NewsInputs in, int e) {
      if (e >= entities.length) {
        java.util.List<String> ids = in.entityIds();
        int before = entities.length;
        entities = java.util.Arrays.copyOf(entities, ids.size());
        int unknown = 0;
        for (int i = before; i < ids.size(); i++) {
          entities[i] = tables.entityRow(ids.get(i));
          if (entities[i] == Ip2Tables.UNKNOWN) unknown++;
        }
        if (before == 0) {
          log.accept(String.format(Locale.ROOT, "ip2: %d of %d title entities of this corpus are unknown"
              + " to the model (they read its unknown entity row)", unknown, ids.size()));
        }
      }
      return entities[e];
    }

    synchronized int category(NewsInputs in, int c) {
      if (c >= categories.length) categories = lookUp(in.categoryNames(), tables::categoryRow);
      return categories[c];
    }

    synchronized int subcategory(NewsInputs in, int c) {
      if (c >= subcategories.length) subcategories = lookUp(in.subcategoryNames(), tables::subcategoryRow);
      return subcategories[c];
    }

    private int[] lookUp(java.util.List<String> names, java.util.function.ToIntFunction<String> row) {
      return names.stream().mapToInt(row).toArray();
    }
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(encode(ps, inputs.get(0), inputs.get(1), null, null, training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), outputDim)};
  }
}
