package dev.newsrec.nn.rec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.newsrec.nn.model.NewsInputs;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.model.UserBatch;
import dev.newsrec.nn.train.StepContext;
import dev.newsrec.nn.train.StepFunction;

/**
 * The NCE step both papers fine-tune with: encode the batch's distinct news once, user vectors
 * from the histories, dot-product scores of 1 + K candidates, softmax cross entropy with the
 * clicked one.
 */
public final class NceStep implements StepFunction<NceBatch> {
  private final NewsRecModel model;
  private final NewsVectors news;
  private final NewsInputs inputs;

  /**
   * news: how the batch's distinct news become vectors (the model's hook, see NeuralModel);
   * inputs: the corpus's news inputs, for user encoders that read the history's titles.
   */
  public NceStep(NewsRecModel model, NewsVectors news, NewsInputs inputs) {
    this.model = model;
    this.news = news;
    this.inputs = inputs;
  }

  @Override
  public NDArray loss(StepContext ctx, NceBatch batch) {
    NDManager m = ctx.manager();
    ParameterStore ps = ctx.parameterStore();
    boolean training = ctx.training();
    NDArray vectors = model.userEncoder().readsNewsVectors()
        ? news.encode(ps, m, batch.news(), training) : candidateVectors(ps, m, batch, training);
    NDArray users = model.users(ps, new UserBatch(vectors, batch.history(), batch.news(), inputs), training);
    int b = batch.size();
    int c = batch.candidates()[0].length;
    long[] idx = new long[b * c];
    for (int r = 0; r < b; r++) for (int k = 0; k < c; k++) idx[r * c + k] = batch.candidates()[r][k];
    NDArray cands = NewsRecModel.gather(vectors, m.create(idx, new Shape(b, c)));
    NDArray scores = NewsRecModel.score(cands, users);
    NDArray target = m.create(batch.targets()).oneHot(c);
    return scores.logSoftmax(-1).mul(target).sum(new int[] {1}).neg().mean();
  }

  /**
   * For user encoders over a token document (PUNR): only the candidates are encoded as news;
   * the rows of history-only news are zeros that nothing reads.
   */
  private NDArray candidateVectors(ParameterStore ps, NDManager m, NceBatch batch, boolean training) {
    int u = batch.news().length;
    int[] slot = new int[u];
    java.util.Arrays.fill(slot, -1);
    int c = 0;
    for (int[] row : batch.candidates()) for (int r : row) if (slot[r] < 0) slot[r] = c++;
    int[] cands = new int[c];
    for (int r = 0; r < u; r++) if (slot[r] >= 0) cands[slot[r]] = batch.news()[r];
    NDArray enc = news.encode(ps, m, cands, training);
    NDArray table = enc.concat(m.zeros(new Shape(1, enc.getShape().get(1)), enc.getDataType()), 0);
    long[] idx = new long[u];
    for (int r = 0; r < u; r++) idx[r] = slot[r] < 0 ? c : slot[r];
    return NewsRecModel.gather(table, m.create(idx));
  }
}
