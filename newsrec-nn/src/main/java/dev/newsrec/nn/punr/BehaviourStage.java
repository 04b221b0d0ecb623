package dev.newsrec.nn.punr;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.newsrec.core.UserException;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.PlmBlock;
import dev.newsrec.nn.rec.PretrainingStage;
import dev.newsrec.nn.rec.StageContext;
import dev.newsrec.nn.rec.StageTraining;
import dev.newsrec.nn.train.AdamW;
import dev.newsrec.nn.train.ModelWeights;
import dev.newsrec.nn.train.ShuffledBatches;
import dev.newsrec.nn.train.Trainer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PUNR's user-behaviour pre-training ({@code behaviour}): masking and generation on the document
 * of every training user with at least 2 clicks (the training impressions' histories, one per
 * user, the longest; and the users without impressions). The whole model trains with the MLM
 * head and the decoder; afterwards the encoder is exported as a Hugging Face BERT folder in
 * {@code dir/encoder/} and the heads in {@code dir/heads.params}.
 */
public final class BehaviourStage implements PretrainingStage<PunrOptions, BehaviourOptions> {
  @Override public String name() { return BehaviourOptions.NAME; }

  @Override public Class<BehaviourOptions> optionsType() { return BehaviourOptions.class; }

  /** Histories with at least 2 clicks: each training user's longest, then the other users'. */
  static List<int[]> histories(Impressions train, List<int[]> others) {
    Map<Integer, int[]> byUser = new HashMap<>();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < train.size(); i++) {
      int u = train.userIndex(i);
      int[] h = train.history(i);
      int[] known = byUser.get(u);
      if (known == null) order.add(u);
      if (known == null || h.length > known.length) byUser.put(u, h);
    }
    List<int[]> out = new ArrayList<>();
    for (int u : order) if (byUser.get(u).length >= 2) out.add(byUser.get(u));
    for (int[] h : others) if (h.length >= 2) out.add(h);
    return out;
  }

  @Override
  public void run(PunrOptions model, BehaviourOptions s, NewsRecModel net, StageContext ctx) {
    PunrUserEncoder user = (PunrUserEncoder) net.userEncoder();
    PunrEncoder encoder = user.encoder();
    BertModel bert = encoder.plm();
    UserDocuments docs = user.documents(ctx.inputs().titles());
    boolean[][] starts = PunrPretraining.wordStarts(ctx.inputs(), ctx.tokenizer());
    List<PretrainingStep.Sample> samples = new ArrayList<>();
    for (int[] h : histories(ctx.train(), ctx.histories())) {
      samples.add(PunrPretraining.sample(docs.build(h), starts));
    }
    if (samples.isEmpty()) throw new UserException("behaviour: no training user has 2 or more clicks");
    StageTraining t = s.training();
    ctx.log().accept(String.format(Locale.ROOT,
        "behaviour: %d user documents, masking %s (alpha %.2f, beta %.2f), generation %s",
        samples.size(), s.masking(), s.alpha(), s.beta(), s.generation()));
    NDManager weights = bert.embeddings().wordEmbedding().getArray().getManager();
    try (NDManager own = weights.newSubManager()) {
      PunrHeads heads = PunrPretraining.heads(bert, own, model.plm(), ctx.log());
      var warm = PunrPretraining.earlierHeads(ctx.earlier());
      if (s.warmDecoder() && warm.isPresent()) {
        PunrPretraining.loadHeads(heads, warm.get());
        ctx.log().accept("behaviour: decoder and MLM head from " + warm.get());
      } else if (s.generation()) {
        ctx.log().accept("behaviour: the decoder starts at random"
            + (s.warmDecoder() ? " (no decoder_warmup stage before this one)" : " (warm_decoder: false)"));
      }
      PunrPretraining.StageBlock block = new PunrPretraining.StageBlock(net, heads);
      // Generation only (the paper's ablation): the encoder reads the document unmasked.
      BehaviourMasking masking = s.masking() ? new BehaviourMasking(s.alpha(), s.beta(),
          ctx.tokenizer().maskId(), bert.config().vocabSize()) : null;
      PretrainingStep step = new PretrainingStep(encoder, heads, masking, s.masking(), s.generation(),
          s.mlmWeight(), s.decoderWeight(), false, ctx.tokenizer().padId());
      ShuffledBatches<PretrainingStep.Sample> batches = new ShuffledBatches<>(samples, t.micro(), ctx.seed(), false);
      try (AdamW optimizer = AdamW.builder().learningRate(t.learningRate()).weightDecay(t.weightDecay()).build(block);
          Trainer<List<PretrainingStep.Sample>> trainer = ctx.trainer(block, step, batches, optimizer, t,
              batches.batchesPerEpoch())) {
        trainer.train();
      }
      if (!user.shared()) copy(bert, ((PunrEncoder) net.newsEncoder()).plm());
      PunrPretraining.export(bert, heads.mlm(), model.plm(), ctx.dir().resolve(PunrPretraining.ENCODER));
      ModelWeights.save(heads, ctx.dir().resolve(PunrHeads.FILE));
    }
  }

  /** Separate encoders: the news side starts from the pre-trained user encoder too (the paper). */
  private static void copy(BertModel from, BertModel to) {
    Map<String, Parameter> target = to.namedParameters();
    from.namedParameters().forEach((name, p) ->
        PlmBlock.assign(target.get(name).getArray(), p.getArray().toFloatArray()));
  }
}
