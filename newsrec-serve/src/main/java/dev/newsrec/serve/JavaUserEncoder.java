package dev.newsrec.serve;

import ai.djl.nn.Parameter;
import dev.newsrec.nn.model.SelfAttentiveEncoder;
import dev.newsrec.nn.model.UserEncoder;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * The inference forward pass of {@link SelfAttentiveEncoder} (the user encoder of NRMS and PLM-NR)
 * in plain Java over float arrays, for one user at a time: the same function as the NDArray path
 * (multi-head self-attention without output projection over the history's news vectors, additive
 * attention pooling), without a native call per request. Through DJL a request paid about 2-4 ms
 * in small-op overhead and a per-request tensor copy of the history; here it is a few hundred
 * microseconds of arithmetic.
 *
 * <p>The query/key/value projection is linear in each clicked news on its own, so it is computed
 * once per news and cached by corpus index (3 x D floats a news, next to its D-float vector); a
 * request then costs the L x L attention and the pooling only. Thread-safe.
 */
final class JavaUserEncoder {
  private final int in;
  private final int dim;
  private final int heads;
  private final int headDim;
  private final int attn;
  private final float factor;
  // Weights transposed into one array per input dimension: every inner loop below reads and writes
  // arrays at the same index, the only form the JIT (Java 17) vectorises; with one flat array and
  // two offsets it cannot rule out that source and target overlap (measured 1.9 vs 5 GMAC/s).
  private final float[][] qkvT; // [in][3*dim]: query, key and value weights side by side
  private final float[] qkvBias;
  private final float[][] poolT; // [dim][attn]
  private final float[] poolBias; // [attn]
  private final float[] poolQuery; // [attn]
  private final float[][] emptyProjection;
  private volatile AtomicReferenceArray<float[][]> projections = new AtomicReferenceArray<>(1024);

  private JavaUserEncoder(SelfAttentiveEncoder e) {
    Map<String, Parameter> p = e.namedParameters();
    float[] wq = values(p, "self_attention.query.weight");
    dim = e.dim();
    heads = e.heads();
    headDim = dim / heads;
    in = wq.length / dim;
    float[] wk = values(p, "self_attention.key.weight");
    float[] wv = values(p, "self_attention.value.weight");
    qkvT = new float[in][3 * dim];
    for (int o = 0; o < dim; o++) {
      for (int i = 0; i < in; i++) {
        qkvT[i][o] = wq[o * in + i];
        qkvT[i][dim + o] = wk[o * in + i];
        qkvT[i][2 * dim + o] = wv[o * in + i];
      }
    }
    qkvBias = new float[3 * dim];
    System.arraycopy(values(p, "self_attention.query.bias"), 0, qkvBias, 0, dim);
    System.arraycopy(values(p, "self_attention.key.bias"), 0, qkvBias, dim, dim);
    System.arraycopy(values(p, "self_attention.value.bias"), 0, qkvBias, 2 * dim, dim);
    poolBias = values(p, "pooling.dense.bias");
    attn = poolBias.length;
    float[] wd = values(p, "pooling.dense.weight");
    poolT = new float[dim][attn];
    for (int a = 0; a < attn; a++) for (int i = 0; i < dim; i++) poolT[i][a] = wd[a * dim + i];
    poolQuery = values(p, "pooling.query");
    // As MultiHeadAttention: the factor in float, applied to the projected query.
    factor = (float) (1.0 / Math.sqrt(headDim));
    // An empty history is one padding position: a zero vector (the NDArray path's padding row).
    emptyProjection = project(new float[in]);
  }

  /** The plain-Java encoder for this user encoder, or null where there is none (PUNR and others). */
  static JavaUserEncoder of(UserEncoder encoder) {
    if (!(encoder instanceof SelfAttentiveEncoder e) || !encoder.readsNewsVectors()) return null;
    return new JavaUserEncoder(e);
  }

  private static float[] values(Map<String, Parameter> p, String name) {
    Parameter x = p.get(name);
    if (x == null || x.getArray() == null) throw new IllegalStateException("user encoder: no parameter " + name);
    return x.getArray().toFloatArray();
  }

  int dim() { return dim; }

  /** {q * factor, k, v} of one news vector, each [dim]. */
  float[][] project(float[] x) {
    float[] qkv = qkvBias.clone();
    for (int i = 0; i < in; i++) {
      float xi = x[i];
      float[] w = qkvT[i];
      for (int o = 0; o < qkv.length; o++) qkv[o] += xi * w[o];
    }
    float[] q = java.util.Arrays.copyOfRange(qkv, 0, dim);
    for (int o = 0; o < dim; o++) q[o] *= factor;
    return new float[][] {q, java.util.Arrays.copyOfRange(qkv, dim, 2 * dim), java.util.Arrays.copyOfRange(qkv, 2 * dim, 3 * dim)};
  }

  /** The cached projection of news n, computed from its vector on first use. */
  private float[][] projection(int n, IntFunction<float[]> newsVector) {
    AtomicReferenceArray<float[][]> c = projections;
    float[][] v = n < c.length() ? c.get(n) : null;
    if (v != null) return v;
    v = project(newsVector.apply(n));
    if (n >= c.length()) c = grow(n + 1);
    c.set(n, v);
    return v;
  }

  private synchronized AtomicReferenceArray<float[][]> grow(int size) {
    AtomicReferenceArray<float[][]> c = projections;
    if (size <= c.length()) return c;
    AtomicReferenceArray<float[][]> bigger = new AtomicReferenceArray<>(Math.max(size, 2 * c.length()));
    for (int i = 0; i < c.length(); i++) bigger.set(i, c.get(i));
    projections = bigger;
    return bigger;
  }

  /** How many news have a cached projection. */
  int cachedProjections() {
    AtomicReferenceArray<float[][]> c = projections;
    int k = 0;
    for (int i = 0; i < c.length(); i++) if (c.get(i) != null) k++;
    return k;
  }

  /**
   * The user vector of one history (corpus indices, already cut by the model's policy).
   *
   * @param newsVector the vector of a news by corpus index (the scorer's cache)
   */
  float[] user(int[] history, IntFunction<float[]> newsVector) {
    int len = Math.max(1, history.length);
    float[][][] proj = new float[len][][];
    if (history.length == 0) {
      proj[0] = emptyProjection;
    } else {
      for (int t = 0; t < len; t++) proj[t] = projection(history[t], newsVector);
    }
    // Keys transposed, [dim][len]: a query's scores over all keys are one multiply-add per dimension.
    float[][] keysT = new float[dim][len];
    for (int u = 0; u < len; u++) {
      float[] k = proj[u][1];
      for (int j = 0; j < dim; j++) keysT[j][u] = k[j];
    }
    float[][] context = new float[len][dim];
    float[][] scores = new float[4][len];
    float[] spare = new float[dim]; // the context row of a missing fourth query
    // Four queries at a time (here and in the pooling): each key, value or weight row read once
    // serves four multiply-adds.
    for (int h = 0; h < heads; h++) {
      int off = h * headDim;
      for (int t0 = 0; t0 < len; t0 += 4) {
        int n = Math.min(4, len - t0);
        float[] q0 = proj[t0][0];
        float[] q1 = n > 1 ? proj[t0 + 1][0] : q0;
        float[] q2 = n > 2 ? proj[t0 + 2][0] : q0;
        float[] q3 = n > 3 ? proj[t0 + 3][0] : q0;
        float[] s0 = scores[0];
        float[] s1 = scores[1];
        float[] s2 = scores[2];
        float[] s3 = scores[3];
        for (float[] x : scores) java.util.Arrays.fill(x, 0f);
        for (int d = off; d < off + headDim; d++) {
          float a0 = q0[d];
          float a1 = q1[d];
          float a2 = q2[d];
          float a3 = q3[d];
          float[] kd = keysT[d];
          for (int u = 0; u < len; u++) {
            float k = kd[u];
            s0[u] += a0 * k;
            s1[u] += a1 * k;
            s2[u] += a2 * k;
            s3[u] += a3 * k;
          }
        }
        for (int b = 0; b < n; b++) softmax(scores[b], len);
        float[] c0 = context[t0];
        float[] c1 = n > 1 ? context[t0 + 1] : spare;
        float[] c2 = n > 2 ? context[t0 + 2] : spare;
        float[] c3 = n > 3 ? context[t0 + 3] : spare;
        for (int u = 0; u < len; u++) {
          float p0 = s0[u];
          float p1 = s1[u];
          float p2 = s2[u];
          float p3 = s3[u];
          float[] v = proj[u][2];
          for (int d = off; d < off + headDim; d++) {
            float vd = v[d];
            c0[d] += p0 * vd;
            c1[d] += p1 * vd;
            c2[d] += p2 * vd;
            c3[d] += p3 * vd;
          }
        }
      }
    }
    // Additive attention: score_t = q . tanh(W h_t + b), softmax over t, weighted sum of the h_t.
    float[] weights = new float[len];
    float[][] hidden = new float[4][attn];
    for (int t0 = 0; t0 < len; t0 += 4) {
      int n = Math.min(4, len - t0);
      for (int b = 0; b < 4; b++) System.arraycopy(poolBias, 0, hidden[b], 0, attn);
      float[] h0 = hidden[0];
      float[] h1 = hidden[1];
      float[] h2 = hidden[2];
      float[] h3 = hidden[3];
      float[] c0 = context[t0];
      float[] c1 = n > 1 ? context[t0 + 1] : c0;
      float[] c2 = n > 2 ? context[t0 + 2] : c0;
      float[] c3 = n > 3 ? context[t0 + 3] : c0;
      for (int i = 0; i < dim; i++) {
        float x0 = c0[i];
        float x1 = c1[i];
        float x2 = c2[i];
        float x3 = c3[i];
        float[] w = poolT[i];
        for (int a = 0; a < attn; a++) {
          float wa = w[a];
          h0[a] += x0 * wa;
          h1[a] += x1 * wa;
          h2[a] += x2 * wa;
          h3[a] += x3 * wa;
        }
      }
      for (int b = 0; b < n; b++) {
        float s = 0f;
        float[] h = hidden[b];
        for (int a = 0; a < attn; a++) s += tanh(h[a]) * poolQuery[a];
        weights[t0 + b] = s;
      }
    }
    softmax(weights, len);
    float[] user = new float[dim];
    for (int t = 0; t < len; t++) {
      float w = weights[t];
      float[] c = context[t];
      for (int i = 0; i < dim; i++) user[i] += w * c[i];
    }
    return user;
  }

  /**
   * tanh through exp, in double: Java 17's Math.tanh is a native call (about 10x exp, an
   * intrinsic), and the history's 50 x 200 of them cost more than the pooling's arithmetic.
   * Exact to a float's precision: 1 - 2 / (e^2x + 1) has no cancellation for |x| large and an
   * absolute error near 1e-16 for x near 0.
   */
  static float tanh(float x) {
    return (float) (1.0 - 2.0 / (Math.exp(2.0 * x) + 1.0));
  }

  private static void softmax(float[] x, int n) {
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) max = Math.max(max, x[i]);
    float sum = 0f;
    for (int i = 0; i < n; i++) {
      x[i] = (float) Math.exp(x[i] - max);
      sum += x[i];
    }
    for (int i = 0; i < n; i++) x[i] /= sum;
  }
}
