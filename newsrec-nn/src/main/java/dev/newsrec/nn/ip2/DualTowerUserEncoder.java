package dev.newsrec.nn.ip2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.newsrec.nn.model.UserBatch;
import dev.newsrec.nn.model.UserEncoder;
import dev.newsrec.nn.plm.AdditiveAttention;
import dev.newsrec.nn.plm.MultiHeadAttention;
import dev.newsrec.nn.plm.Norm;
import dev.newsrec.nn.plm.PlmBlock;

/**
 * IP2's dual-tower user encoder (Section 4.3): the clicked news's title vectors and signature
 * entities form two sequences. With cross attention (Eq. 13-14) the title tower's queries attend
 * to the entity tower's keys and values and vice versa (heads concatenated, as NRMS's user
 * encoder); without it (the ablation "w/o Inter") each tower attends to itself. Then per tower a
 * residual link with LayerNorm and additive attention give u_t and u_e, which the
 * {@link Aggregation} combines.
 */
public final class DualTowerUserEncoder extends PlmBlock implements UserEncoder {
  private final int towerDim;
  private final boolean cross;
  private final MultiHeadAttention titleAttention;
  private final Norm titleNorm;
  private final AdditiveAttention titlePooling;
  private final MultiHeadAttention entityAttention;
  private final Norm entityNorm;
  private final AdditiveAttention entityPooling;
  private final Aggregation aggregation;

  /** towerDim: news_dim; heads: user_heads (head size towerDim / heads). */
  public DualTowerUserEncoder(int towerDim, int heads, int queryDim, boolean crossAttention, String aggregation) {
    this.towerDim = towerDim;
    this.cross = crossAttention;
    titleAttention = child("title_attention", attention(towerDim, heads));
    titleNorm = child("title_norm", Norm.builder().setSize(towerDim).build());
    titlePooling = child("title_pooling", AdditiveAttention.builder().setInputSize(towerDim).optQueryDim(queryDim).build());
    entityAttention = child("entity_attention", attention(towerDim, heads));
    entityNorm = child("entity_norm", Norm.builder().setSize(towerDim).build());
    entityPooling = child("entity_pooling", AdditiveAttention.builder().setInputSize(towerDim).optQueryDim(queryDim).build());
    this.aggregation = child("aggregation", new Aggregation(aggregation, towerDim));
  }

  private static MultiHeadAttention attention(int dim, int heads) {
    return MultiHeadAttention.builder().setHiddenSize(dim).setHeads(heads).optOutputProjection(false).build();
  }

  public Aggregation aggregation() { return aggregation; }

  public boolean crossAttention() { return cross; }

  @Override public int dim() { return 2 * towerDim; }

  @Override
  public NDArray encode(ParameterStore ps, UserBatch batch, boolean training) {
    NDList h = batch.historyVectors();
    return encode(ps, h.get(0), h.get(1), training);
  }

  /** history [B,L,2 x news_dim] (title ; entity), mask [B,L]; returns user vectors [B, 2 x news_dim]. */
  public NDArray encode(ParameterStore ps, NDArray history, NDArray mask, boolean training) {
    return scoped(training, () -> {
      NDList towers = towers(ps, history, mask, training);
      return aggregation.userVector(ps, towers.get(0), towers.get(1), training);
    }, history, mask);
  }

  /** [u_t, u_e], each [B, news_dim], before the aggregation; on history's manager. */
  public NDList towers(ParameterStore ps, NDArray history, NDArray mask, boolean training) {
    NDList parts = history.split(2, 2);
    NDArray titles = parts.get(0);
    NDArray entities = parts.get(1);
    NDArray additive = paddingMask(mask);
    NDArray titleKeys = cross ? entities : titles;
    NDArray entityKeys = cross ? titles : entities;
    NDArray t = titleNorm.apply(ps, titles.add(titleAttention.attend(ps, titles, titleKeys, additive, training)), training);
    NDArray e = entityNorm.apply(ps, entities.add(entityAttention.attend(ps, entities, entityKeys, additive, training)), training);
    return new NDList(titlePooling.pool(ps, t, mask, training), entityPooling.pool(ps, e, mask, training));
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(encode(ps, inputs.get(0), inputs.get(1), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), dim())};
  }
}
