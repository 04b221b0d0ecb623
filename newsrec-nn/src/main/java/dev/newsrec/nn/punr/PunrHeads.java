package dev.newsrec.nn.punr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.plm.BertConfig;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.CausalDecoderBlock;
import dev.newsrec.nn.plm.MlmHead;
import dev.newsrec.nn.plm.PlmBlock;

/**
 * What PUNR's pre-training adds to the encoder: the MLM head (its decoder tied to the encoder's
 * word embeddings) and the user-behaviour generation decoder, a one-layer GPT-2 style block sized
 * from the encoder's config. The decoder reads [user vector, embeddings of tokens 1..n-1] and
 * predicts tokens 1..n through the same MLM head (the authors' {@code casual_loss}).
 *
 * <p>Children: {@code mlm} ({@link MlmHead}) and {@code decoder} ({@link CausalDecoderBlock} with
 * GPT-2's final LayerNorm). Dropout on the decoder's input, as GPT-2's embedding dropout.
 */
public final class PunrHeads extends PlmBlock {
  /** The file a stage saves these heads in (ModelWeights format). */
  public static final String FILE = "heads.params";

  private final BertConfig config;
  private final MlmHead mlm;
  private final CausalDecoderBlock decoder;

  public PunrHeads(BertModel encoder) {
    this.config = encoder.config();
    this.mlm = child("mlm", MlmHead.builder().setConfig(config)
        .setWordEmbedding(encoder.embeddings().wordEmbedding()).build());
    this.decoder = child("decoder", CausalDecoderBlock.builder().setConfig(config).build());
  }

  public MlmHead mlm() { return mlm; }

  public CausalDecoderBlock decoder() { return decoder; }

  /** A masked-LM or causal-LM result: mean cross entropy, and the share of argmax hits. */
  public record Loss(NDArray loss, NDArray accuracy) {}

  /**
   * MLM cross entropy at the masked positions: hidden [B,T,H] of the masked pass, positions
   * (flat b*T+t) and the original ids there. Index arrays go on {@code m}, which must outlive
   * backward.
   */
  public Loss mlmLoss(ParameterStore ps, NDManager m, NDArray hidden, long[] positions,
      long[] labels, boolean training) {
    NDArray rows = rows(m, hidden, positions);
    return crossEntropy(m, mlm.logits(ps, rows, training), labels);
  }

  /**
   * User-behaviour generation: user [B,H] (the encoder's vector of the masked document),
   * embeddings [B,T,H] of the unmasked document, ids and mask [B,T] of it. The decoder reads
   * [user, e_1..e_{T-2}] and predicts ids 1..T-1; padding is neither read nor predicted.
   */
  public Loss generationLoss(ParameterStore ps, NDManager m, NDArray user, NDArray embeddings,
      long[] ids, long[] mask, int rows, int length, boolean training) {
    int steps = length - 1;
    long[] inMask = new long[rows * steps];
    int valid = 0;
    for (int b = 0; b < rows; b++) {
      for (int t = 0; t < steps; t++) {
        inMask[b * steps + t] = mask[b * length + t];
        if (mask[b * length + t + 1] != 0) valid++;
      }
    }
    long[] positions = new long[valid];
    long[] labels = new long[valid];
    int k = 0;
    for (int b = 0; b < rows; b++) {
      for (int t = 0; t < steps; t++) {
        if (mask[b * length + t + 1] == 0) continue;
        positions[k] = (long) b * steps + t;
        labels[k++] = ids[b * length + t + 1];
      }
    }
    NDArray h = decoderHidden(ps, user, embeddings, m.create(inMask, new Shape(rows, steps)), training);
    return crossEntropy(m, mlm.logits(ps, rows(m, h, positions), training), labels);
  }

  /**
   * The decoder's last hidden states [B,T-1,H] over [user, e_1..e_{T-2}]: user [B,H], embeddings
   * [B,T,H] of the document (e_0, its [CLS], is not read), inMask [B,T-1] (1 = read).
   */
  public NDArray decoderHidden(ParameterStore ps, NDArray user, NDArray embeddings, NDArray inMask,
      boolean training) {
    long length = embeddings.getShape().get(1);
    NDArray inputs = embeddings.get(new NDIndex(":, 1:{}, :", length - 1));
    NDArray x = user.expandDims(1).concat(inputs, 1);
    return decoder.apply(ps, dropout(x, config.hiddenDropoutProb(), training), inMask, training);
  }

  /** Rows of x [B,T,H] at flat positions b*T+t: [P,H] (differentiable). */
  static NDArray rows(NDManager m, NDArray x, long[] positions) {
    long h = x.getShape().get(2);
    NDArray flat = x.reshape(-1, h);
    return NewsRecModel.gather(flat, m.create(positions));
  }

  static Loss crossEntropy(NDManager m, NDArray logits, long[] labels) {
    NDArray target = m.create(labels);
    NDArray logp = logits.logSoftmax(-1);
    NDArray picked = logp.gather(target.expandDims(1), 1);
    NDArray loss = picked.mean().neg();
    NDArray hits = logits.argMax(-1).eq(target).toType(DataType.FLOAT32, false).mean();
    return new Loss(loss, hits);
  }

  /** w x loss, the product skipped at weight 1 (see {@link PlmBlock#scale}). */
  static NDArray scaleIfNeeded(NDArray loss, float weight) {
    return weight == 1f ? loss : scale(loss, weight);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(mlm.logits(ps, inputs.head(), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {in.slice(0, in.dimension() - 1).add(config.vocabSize())};
  }
}
