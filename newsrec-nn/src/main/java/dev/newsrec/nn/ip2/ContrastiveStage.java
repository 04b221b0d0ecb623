package dev.newsrec.nn.ip2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.newsrec.core.UserException;
import dev.newsrec.nn.model.NewsInputs;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.plm.PlmBlock;
import dev.newsrec.nn.rec.PretrainingStage;
import dev.newsrec.nn.rec.StageContext;
import dev.newsrec.nn.rec.StageTraining;
import dev.newsrec.nn.train.AdamW;
import dev.newsrec.nn.train.ParamGroup;
import dev.newsrec.nn.train.ShuffledBatches;
import dev.newsrec.nn.train.StepContext;
import dev.newsrec.nn.train.StepFunction;
import dev.newsrec.nn.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Entity-title contrastive pre-training (Section 4.2): batches of the corpus's news, each encoded
 * into its title vector t and signature entity e by the news encoder used for recommendation;
 * dropout turns each into a "mirror" t', e' (Inoue, 2019). The loss
 * w_et L(t, e) + w_tt L(t, t') + w_ee L(e, e') (Eq. 12) trains the PLM's trainable part, the
 * title head and the SEE, entity memory included; the user encoder does not take part. Each term
 * is logged per step (loss_et, loss_tt, loss_ee in metrics.jsonl).
 */
public final class ContrastiveStage implements PretrainingStage<Ip2Options, ContrastiveOptions> {
  public static final String NAME = "contrastive";

  @Override public String name() { return NAME; }

  @Override public Class<ContrastiveOptions> optionsType() { return ContrastiveOptions.class; }

  @Override
  public void run(Ip2Options model, ContrastiveOptions o, NewsRecModel net, StageContext ctx) {
    Ip2NewsEncoder enc = (Ip2NewsEncoder) net.newsEncoder();
    NewsInputs inputs = ctx.inputs();
    StageTraining t = o.training();
    List<Integer> news = news(inputs, o.skipEntityless());
    if (news.size() < t.micro()) {
      throw new UserException(String.format(Locale.ROOT, "pretraining contrastive: %d news%s, fewer than"
          + " one batch of %d (training.batch_size / micro_batch)", news.size(),
          o.skipEntityless() ? " with entities" : "", t.micro()));
    }
    // Full batches only: every news of a batch has the same number of in-batch negatives.
    ShuffledBatches<Integer> batches = new ShuffledBatches<>(news, t.micro(), ctx.seed(), true);
    NDManager params = enc.entity().memory().getArray().getManager();
    Ip2.NewsParts parts = Ip2.NewsParts.of(model, enc, inputs, params, ctx.log());
    ctx.log().accept(String.format(Locale.ROOT, "contrastive: %d news (%d without entities %s), %d batches"
        + " of %d per epoch", news.size(), inputs.size() - countWithEntities(inputs),
        o.skipEntityless() ? "left out" : "included", batches.batchesPerEpoch(), t.micro()));
    AdamW optimizer = AdamW.builder().learningRate(t.learningRate()).weightDecay(t.weightDecay())
        .group(ParamGroup.matching("plm", "plm", o.plmLearningRate(), t.weightDecay()))
        .build(enc);
    try (Trainer<List<Integer>> trainer = ctx.trainer(enc, new Step(parts, o), batches, optimizer, t,
        batches.batchesPerEpoch())) {
      trainer.train();
    }
  }

  /** The news the stage trains on, in corpus order. */
  static List<Integer> news(NewsInputs inputs, boolean skipEntityless) {
    List<Integer> out = new ArrayList<>();
    for (int n = 0; n < inputs.size(); n++) {
      if (!skipEntityless || inputs.entities(n).length > 0) out.add(n);
    }
    return out;
  }

  private static int countWithEntities(NewsInputs inputs) {
    return news(inputs, true).size();
  }

  /** One contrastive step over a batch of news. */
  static final class Step implements StepFunction<List<Integer>> {
    private final Ip2.NewsParts parts;
    private final ContrastiveOptions o;

    Step(Ip2.NewsParts parts, ContrastiveOptions o) {
      this.parts = parts;
      this.o = o;
    }

    @Override
    public NDArray loss(StepContext ctx, List<Integer> batch) {
      int[] news = batch.stream().mapToInt(Integer::intValue).toArray();
      ParameterStore ps = ctx.parameterStore();
      NDManager m = ctx.manager();
      boolean training = ctx.training();
      NDArray t = parts.titles(ps, m, news, training);
      NDArray e = parts.signatures(ps, m, news, training);
      return terms(ctx, t, e, mirror(t), mirror(e));
    }

    private NDArray mirror(NDArray x) {
      // Outside training (evaluation) the gate still has to perturb, or the mirror terms are trivial.
      return ai.djl.nn.norm.Dropout.dropout(x, o.mirrorDropout().floatValue(), true).singletonOrThrow();
    }

    /** Eq. 12 over the given embeddings and their mirrors; records each term that is on. */
    NDArray terms(StepContext ctx, NDArray t, NDArray e, NDArray tMirror, NDArray eMirror) {
      NDArray total = null;
      if (o.entityTitle()) {
        NDArray et = ContrastiveLoss.symmetric(t, e, o.entityTitleTemperature().floatValue());
        if (ctx != null) ctx.record("loss_et", et);
        total = add(total, PlmBlock.scale(et, o.entityTitleWeight().floatValue()));
      }
      if (o.titleTitle()) {
        NDArray tt = ContrastiveLoss.symmetric(t, tMirror, o.titleTitleTemperature().floatValue());
        if (ctx != null) ctx.record("loss_tt", tt);
        total = add(total, PlmBlock.scale(tt, o.titleTitleWeight().floatValue()));
      }
      if (o.entityEntity()) {
        NDArray ee = ContrastiveLoss.symmetric(e, eMirror, o.entityEntityTemperature().floatValue());
        if (ctx != null) ctx.record("loss_ee", ee);
        total = add(total, PlmBlock.scale(ee, o.entityEntityWeight().floatValue()));
      }
      return total;
    }

    private static NDArray add(NDArray total, NDArray term) {
      return total == null ? term : total.add(term);
    }
  }
}
