/**
 * IP2 ("IP2: Entity-Guided Interest Probing for Personalized News Recommendation").
 *
 * <p>Model ({@link dev.newsrec.nn.ip2.Ip2}, options {@link dev.newsrec.nn.ip2.Ip2Options},
 * {@code model.type: ip2}). News side ({@link dev.newsrec.nn.ip2.Ip2NewsEncoder}): the
 * {@link dev.newsrec.nn.ip2.TitleEncoder} (PLM last hidden states, optional multi-head
 * self-attention with residual LayerNorm, additive attention, Linear to 400, dropout, LeakyReLU)
 * and the {@link dev.newsrec.nn.ip2.SignatureEntityEncoder} (entity memory with max-norm, a
 * handle entity [ent], sinusoidal positions, L Transformer layers, the handle's output projected
 * to 400). The news vector is [title vector ; signature], 800 wide.
 *
 * <p>User side ({@link dev.newsrec.nn.ip2.DualTowerUserEncoder}): the history's title vectors and
 * signatures as two towers, cross attention between them (or self-attention: "w/o Inter"),
 * residual LayerNorm, additive attention per tower, then the {@link dev.newsrec.nn.ip2.Aggregation}
 * (learned weighted sums, or concatenation: "w/o Agg"). The candidate's weights are folded into
 * the user vector, so the shared pipeline's dot product is exactly the paper's score.
 *
 * <p>Entity and category strings are the model's own tables ({@link dev.newsrec.nn.ip2.Ip2Tables},
 * saved next to the weights): news of any corpus are looked up by string, unknown ids read the
 * unknown row.
 *
 * <p>Pre-training ({@link dev.newsrec.nn.ip2.ContrastiveStage}, {@code stage: contrastive},
 * options {@link dev.newsrec.nn.ip2.ContrastiveOptions}): entity-title contrastive learning with
 * three symmetric in-batch InfoNCE terms ({@link dev.newsrec.nn.ip2.ContrastiveLoss}) over the
 * corpus's news.
 */
package dev.newsrec.nn.ip2;
