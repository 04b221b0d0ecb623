package dev.newsrec.nn.rec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.model.NewsTokens;
import dev.newsrec.nn.model.PlmNewsEncoder;
import dev.newsrec.nn.train.StepContext;
import dev.newsrec.nn.train.StepFunction;

/**
 * The NCE step both papers fine-tune with: encode the batch's distinct news once, user vectors
 * from the histories, dot-product scores of 1 + K candidates, softmax cross entropy with the
 * clicked one.
 */
public final class NceStep implements StepFunction<NceBatch> {
  private final NewsRecModel model;
  private final NewsTokens tokens;
  private final FrozenCache cache;

  /** cache may be null: then titles go through the whole news encoder. */
  public NceStep(NewsRecModel model, NewsTokens tokens, FrozenCache cache) {
    this.model = model;
    this.tokens = tokens;
    this.cache = cache;
  }

  @Override
  public NDArray loss(StepContext ctx, NceBatch batch) {
    NDManager m = ctx.manager();
    ParameterStore ps = ctx.parameterStore();
    boolean training = ctx.training();
    NDArray vectors = newsVectors(m, ps, batch.news(), training);
    NDArray users = model.users(ps, vectors, batch.history(), training);
    int b = batch.size();
    int c = batch.candidates()[0].length;
    long[] idx = new long[b * c];
    for (int r = 0; r < b; r++) for (int k = 0; k < c; k++) idx[r * c + k] = batch.candidates()[r][k];
    NDArray cands = NewsRecModel.gather(vectors, m.create(idx, new Shape(b, c)));
    NDArray scores = NewsRecModel.score(cands, users);
    NDArray target = m.create(batch.targets()).oneHot(c);
    return scores.logSoftmax(-1).mul(target).sum(new int[] {1}).neg().mean();
  }

  private NDArray newsVectors(NDManager m, ParameterStore ps, int[] news, boolean training) {
    if (cache != null) {
      NDList h = cache.get(m, news);
      return ((PlmNewsEncoder) model.newsEncoder()).encodeFromHidden(ps, h.get(0), h.get(1),
          cache.layers(), training);
    }
    NewsTokens.Padded p = tokens.pad(news);
    NDArray ids = m.create(p.ids(), new Shape(p.rows(), p.length()));
    NDArray mask = m.create(p.mask(), new Shape(p.rows(), p.length()));
    return model.newsEncoder().encode(ps, ids, mask, training);
  }
}
