package dev.newsrec.nn.punr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.train.StepContext;
import dev.newsrec.nn.train.StepFunction;
import java.util.ArrayList;
import java.util.List;

/**
 * One step of PUNR's pre-training on a batch of documents: mask each document, encode the masked
 * document, MLM loss at the masked positions, and the generation loss of the decoder fed the user
 * vector (the encoder's pooled output of the masked pass) and the unmasked document's embeddings.
 * Records {@code mlm_loss}, {@code mlm_accuracy} (masked tokens predicted right), {@code dec_loss}
 * and {@code dec_accuracy} per step. With a frozen encoder (decoder warm-up) the encoder runs
 * without gradients or dropout.
 */
final class PretrainingStep implements StepFunction<List<PretrainingStep.Sample>> {
  /**
   * A document to pre-train on: ids ([CLS] ... [SEP]), segment ids, the maskable spans (title
   * tokens between the separators) and which tokens begin a word (null: every token).
   */
  record Sample(int[] ids, int[] segments, int[] spanStart, int[] spanEnd, boolean[] wordStart) {}

  private final PunrEncoder encoder;
  private final PunrHeads heads;
  private final BehaviourMasking masking;
  private final boolean mlm;
  private final boolean generation;
  private final float mlmWeight;
  private final float decoderWeight;
  private final boolean encoderFrozen;
  private final int padId;

  /**
   * masking: how the encoder's input is masked, or null for the unmasked document (generation
   * only); mlm: whether the MLM loss is computed (needs masking).
   */
  PretrainingStep(PunrEncoder encoder, PunrHeads heads, BehaviourMasking masking, boolean mlm,
      boolean generation, double mlmWeight, double decoderWeight, boolean encoderFrozen, int padId) {
    this.encoder = encoder;
    this.heads = heads;
    if (mlm && masking == null) throw new IllegalArgumentException("the MLM loss needs a masking");
    this.masking = masking;
    this.mlm = mlm;
    this.generation = generation;
    this.mlmWeight = (float) mlmWeight;
    this.decoderWeight = (float) decoderWeight;
    this.encoderFrozen = encoderFrozen;
    this.padId = padId;
  }

  @Override
  public NDArray loss(StepContext ctx, List<Sample> batch) {
    NDManager m = ctx.manager();
    ParameterStore ps = ctx.parameterStore();
    boolean training = ctx.training();
    boolean encTraining = training && !encoderFrozen;
    List<int[]> ids = new ArrayList<>();
    List<int[]> inputs = new ArrayList<>();
    List<int[]> segments = new ArrayList<>();
    List<BehaviourMasking.Masked> masked = new ArrayList<>();
    for (Sample s : batch) {
      BehaviourMasking.Masked x = masking == null ? null
          : masking.mask(s.ids(), s.spanStart(), s.spanEnd(), s.wordStart(), ctx.random());
      masked.add(x);
      ids.add(s.ids());
      inputs.add(x == null ? s.ids() : x.input());
      segments.add(s.segments());
    }
    UserDocuments.Padded orig = UserDocuments.pad(ids, segments, padId);
    UserDocuments.Padded in = UserDocuments.pad(inputs, segments, padId);
    int rows = orig.rows();
    int length = orig.length();
    Shape shape = new Shape(rows, length);
    NDArray mask = m.create(orig.mask(), shape);
    NDArray seg = m.create(orig.segments(), shape);
    BertModel bert = encoder.plm();
    NDArray hidden = bert.encode(ps, m.create(in.ids(), shape), mask, null, seg, encTraining);
    NDArray total = null;
    if (mlm) {
      List<Long> pos = new ArrayList<>();
      List<Long> lab = new ArrayList<>();
      for (int b = 0; b < rows; b++) {
        BehaviourMasking.Masked x = masked.get(b);
        for (int k = 0; k < x.positions().length; k++) {
          pos.add((long) b * length + x.positions()[k]);
          lab.add((long) x.labels()[k]);
        }
      }
      if (!pos.isEmpty()) {
        PunrHeads.Loss l = heads.mlmLoss(ps, m, hidden, toArray(pos), toArray(lab), training);
        ctx.record("mlm_loss", l.loss());
        ctx.record("mlm_accuracy", l.accuracy());
        total = PunrHeads.scaleIfNeeded(l.loss(), mlmWeight);
      }
    }
    if (generation) {
      NDArray user = encoder.pool(ps, hidden, mask, encTraining);
      NDArray embeddings = bert.embeddings().embed(ps, m.create(orig.ids(), shape), null, seg, encTraining);
      PunrHeads.Loss l = heads.generationLoss(ps, m, user, embeddings, orig.ids(), orig.mask(), rows,
          length, training);
      ctx.record("dec_loss", l.loss());
      ctx.record("dec_accuracy", l.accuracy());
      NDArray weighted = PunrHeads.scaleIfNeeded(l.loss(), decoderWeight);
      total = total == null ? weighted : total.add(weighted);
    }
    if (total == null) throw new IllegalStateException("a pre-training batch without any masked token");
    return total;
  }

  private static long[] toArray(List<Long> xs) {
    long[] out = new long[xs.size()];
    for (int i = 0; i < out.length; i++) out[i] = xs.get(i);
    return out;
  }
}
