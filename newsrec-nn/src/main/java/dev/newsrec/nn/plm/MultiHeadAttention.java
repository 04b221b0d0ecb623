package dev.newsrec.nn.plm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Scaled dot-product multi-head attention, the one attention of this code base: BERT
 * self-attention (padding mask), the GPT-2 style decoder (causal + padding mask) and cross
 * attention all call it. Masks are additive, broadcastable to [B, heads, Tq, Tk], with 0 where
 * attention is allowed and {@link PlmBlock#MASKED} where not (see {@link PlmBlock#paddingMask}).
 *
 * <p>Parameter names are chosen by the owner (BERT: self.query, self.key, self.value,
 * output.dense under "attention").
 */
public final class MultiHeadAttention extends PlmBlock {
  private final int hiddenSize;
  private final int heads;
  private final float dropout;
  private final Dense query;
  private final Dense key;
  private final Dense value;
  private final Dense output;

  private MultiHeadAttention(Builder b) {
    hiddenSize = b.hiddenSize;
    heads = b.heads;
    dropout = b.dropout;
    long in = b.inputSize > 0 ? b.inputSize : b.hiddenSize;
    query = child(b.names[0], dense(in, b.hiddenSize));
    key = child(b.names[1], dense(in, b.hiddenSize));
    value = child(b.names[2], dense(in, b.hiddenSize));
    output = b.outputProjection ? child(b.names[3], dense(b.hiddenSize, b.hiddenSize)) : null;
  }

  private static Dense dense(long in, long out) {
    return Dense.builder().setInputSize(in).setOutputSize(out).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Unit-test size: hidden 32, 2 heads; not initialised. */
  public static MultiHeadAttention tiny() {
    return builder().setHiddenSize(32).setHeads(2).build();
  }

  /**
   * Attends from {@code queries} [B,Tq,in] to {@code keysValues} [B,Tk,in]; returns [B,Tq,hidden]
   * on the queries' manager. {@code mask} may be null.
   */
  public NDArray attend(ParameterStore ps, NDArray queries, NDArray keysValues, NDArray mask,
      boolean training) {
    return scoped(training, () -> {
      long batch = queries.getShape().get(0);
      long tq = queries.getShape().get(1);
      long tk = keysValues.getShape().get(1);
      int headSize = hiddenSize / heads;
      float factor = (float) (1.0 / Math.sqrt(headSize));
      NDArray q;
      NDArray k;
      NDArray v;
      if (!training && queries == keysValues) {
        // Inference: one [in, 3*hidden] projection instead of three (one GEMM, one bias add,
        // one output); the fused weight is concatenated per call from the three parameters
        // (0.2 ms a layer for MiniLM), so it can never go stale when weights change.
        NDArray w = NDArrays.concat(new NDList(query.weight(ps, queries, false),
            key.weight(ps, queries, false), value.weight(ps, queries, false)), 0);
        NDArray b = NDArrays.concat(new NDList(query.bias(ps, queries, false),
            key.bias(ps, queries, false), value.bias(ps, queries, false)), 0);
        // A concat lands on its first operand's manager, the weights': into this call's scope, or
        // every inference call keeps 1.7 MB (MiniLM) there for good.
        w.attach(queries.getManager());
        b.attach(queries.getManager());
        // [B,T,3*hidden] -> [3,B,heads,T,headSize], views
        NDArray qkv = Dense.linear(queries, w, b).reshape(batch, tq, 3, heads, headSize)
            .transpose(2, 0, 3, 1, 4);
        q = scale(qkv.get(0), factor);
        k = qkv.get(1);
        v = qkv.get(2);
      } else {
        // scaling q (B*T*H values) is cheaper than scaling the scores (B*heads*T*T values)
        q = scale(split(query.apply(ps, queries, training), batch, tq, headSize), factor);
        k = split(key.apply(ps, keysValues, training), batch, tk, headSize);
        v = split(value.apply(ps, keysValues, training), batch, tk, headSize);
      }
      NDArray scores = q.matMul(k.transpose(0, 1, 3, 2));
      if (mask != null) {
        // in place: the matmul's backward needs q and k, not its output, so autograd allows it
        scores.addi(mask);
      }
      NDArray probs = dropout(scores.softmax(-1), dropout, training);
      NDArray context = probs.matMul(v).transpose(0, 2, 1, 3).reshape(batch, tq, hiddenSize);
      return output == null ? context : output.apply(ps, context, training);
    }, queries, keysValues, mask);
  }

  private NDArray split(NDArray x, long batch, long length, int headSize) {
    return x.reshape(batch, length, heads, headSize).transpose(0, 2, 1, 3);
  }

  /** Inputs: [queries, keysValues?, mask?]; output: [attended]. */
  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray q = inputs.get(0);
    NDArray kv = inputs.size() > 1 ? inputs.get(1) : q;
    NDArray mask = inputs.size() > 2 ? inputs.get(2) : null;
    return new NDList(attend(ps, q, kv, mask, training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {in.slice(0, in.dimension() - 1).add(hiddenSize)};
  }

  /** Builder: {@code setHiddenSize} and {@code setHeads} required. */
  public static final class Builder {
    private int hiddenSize = -1;
    private int heads = -1;
    private float dropout;
    private long inputSize = -1;
    private boolean outputProjection = true;
    private String[] names = {"query", "key", "value", "output"};

    public Builder setHiddenSize(int hiddenSize) {
      this.hiddenSize = hiddenSize;
      return this;
    }

    public Builder setHeads(int heads) {
      this.heads = heads;
      return this;
    }

    /** Size of the query/key/value inputs when it differs from the hidden size (NRMS: 300). */
    public Builder optInputSize(long inputSize) {
      this.inputSize = inputSize;
      return this;
    }

    /** Whether the concatenated heads go through an output projection (BERT: yes; NRMS: no). */
    public Builder optOutputProjection(boolean outputProjection) {
      this.outputProjection = outputProjection;
      return this;
    }

    /** Dropout on the attention probabilities (training only). */
    public Builder optDropout(float dropout) {
      this.dropout = dropout;
      return this;
    }

    /** Hugging Face names of the query, key, value and output projections. */
    public Builder optNames(String query, String key, String value, String output) {
      this.names = new String[] {query, key, value, output};
      return this;
    }

    public MultiHeadAttention build() {
      if (hiddenSize < 1 || heads < 1 || hiddenSize % heads != 0) {
        throw new IllegalArgumentException("MultiHeadAttention needs setHiddenSize and setHeads"
            + " with hidden size a multiple of heads; got " + hiddenSize + " and " + heads);
      }
      return new MultiHeadAttention(this);
    }
  }
}
