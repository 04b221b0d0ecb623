package dev.newsrec.nn.plm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.newsrec.core.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shape of a BERT encoder, with the field names of a Hugging Face {@code config.json}.
 *
 * @param vocabSize vocab_size
 * @param hiddenSize hidden_size
 * @param numHiddenLayers num_hidden_layers
 * @param numAttentionHeads num_attention_heads
 * @param intermediateSize intermediate_size
 * @param maxPositionEmbeddings max_position_embeddings
 * @param typeVocabSize type_vocab_size
 * @param layerNormEps layer_norm_eps
 * @param hiddenDropoutProb hidden_dropout_prob
 * @param attentionProbsDropoutProb attention_probs_dropout_prob
 */
public record BertConfig(
    int vocabSize,
    int hiddenSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int intermediateSize,
    int maxPositionEmbeddings,
    int typeVocabSize,
    float layerNormEps,
    float hiddenDropoutProb,
    float attentionProbsDropoutProb) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public BertConfig {
    positive("vocab_size", vocabSize);
    positive("hidden_size", hiddenSize);
    positive("num_hidden_layers", numHiddenLayers);
    positive("num_attention_heads", numAttentionHeads);
    positive("intermediate_size", intermediateSize);
    positive("max_position_embeddings", maxPositionEmbeddings);
    positive("type_vocab_size", typeVocabSize);
    if (hiddenSize % numAttentionHeads != 0) {
      throw new UserException("hidden_size " + hiddenSize
          + " is not a multiple of num_attention_heads " + numAttentionHeads);
    }
    if (!(layerNormEps > 0)) {
      throw new UserException("layer_norm_eps must be positive, got " + layerNormEps);
    }
    probability("hidden_dropout_prob", hiddenDropoutProb);
    probability("attention_probs_dropout_prob", attentionProbsDropoutProb);
  }

  /** Unit-test size: 2 layers, hidden 32, 2 heads, vocabulary 100. */
  public static BertConfig tiny() {
    return new BertConfig(100, 32, 2, 2, 64, 64, 2, 1e-12f, 0.1f, 0.1f);
  }

  /** The bundled sentence-transformers all-MiniLM-L6-v2. */
  public static BertConfig miniLm() {
    return new BertConfig(30522, 384, 6, 12, 1536, 512, 2, 1e-12f, 0.1f, 0.1f);
  }

  /** bert-base-uncased. */
  public static BertConfig bertBase() {
    return new BertConfig(30522, 768, 12, 12, 3072, 512, 2, 1e-12f, 0.1f, 0.1f);
  }

  public int headSize() {
    return hiddenSize / numAttentionHeads;
  }

  /** The same model cut to its first {@code layers} layers (layer truncation). */
  public BertConfig withLayers(int layers) {
    if (layers < 1 || layers > numHiddenLayers) {
      throw new UserException(
          "cannot keep " + layers + " layers of a model with " + numHiddenLayers);
    }
    return new BertConfig(vocabSize, hiddenSize, layers, numAttentionHeads, intermediateSize,
        maxPositionEmbeddings, typeVocabSize, layerNormEps, hiddenDropoutProb,
        attentionProbsDropoutProb);
  }

  /** The same model with other dropout rates (e.g. 0 for deterministic tests). */
  public BertConfig withDropout(float hidden, float attention) {
    return new BertConfig(vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads,
        intermediateSize, maxPositionEmbeddings, typeVocabSize, layerNormEps, hidden, attention);
  }

  /** Reads a Hugging Face {@code config.json}; missing optional fields take BERT's defaults. */
  public static BertConfig read(Path configJson) {
    JsonNode n;
    try {
      n = JSON.readTree(configJson.toFile());
    } catch (IOException e) {
      throw new UserException(configJson + ": cannot read config: " + e.getMessage());
    }
    String type = n.path("model_type").asText("bert");
    if (!type.equals("bert")) {
      throw new UserException(configJson + ": model_type '" + type
          + "' is not supported; expected 'bert'");
    }
    String act = n.path("hidden_act").asText("gelu");
    if (!act.equals("gelu")) {
      throw new UserException(configJson + ": hidden_act '" + act
          + "' is not supported; expected 'gelu' (exact erf GELU)");
    }
    try {
      return new BertConfig(
          required(n, "vocab_size", configJson),
          required(n, "hidden_size", configJson),
          required(n, "num_hidden_layers", configJson),
          required(n, "num_attention_heads", configJson),
          required(n, "intermediate_size", configJson),
          n.path("max_position_embeddings").asInt(512),
          n.path("type_vocab_size").asInt(2),
          (float) n.path("layer_norm_eps").asDouble(1e-12),
          (float) n.path("hidden_dropout_prob").asDouble(0.1),
          (float) n.path("attention_probs_dropout_prob").asDouble(0.1));
    } catch (UserException e) {
      throw new UserException(configJson + ": " + e.getMessage());
    }
  }

  /** Writes a {@code config.json} that Python transformers loads as a BertModel. */
  public void write(Path configJson) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.putArray("architectures").add("BertModel");
    n.put("model_type", "bert");
    n.put("vocab_size", vocabSize);
    n.put("hidden_size", hiddenSize);
    n.put("num_hidden_layers", numHiddenLayers);
    n.put("num_attention_heads", numAttentionHeads);
    n.put("intermediate_size", intermediateSize);
    n.put("hidden_act", "gelu");
    n.put("max_position_embeddings", maxPositionEmbeddings);
    n.put("type_vocab_size", typeVocabSize);
    n.put("layer_norm_eps", (double) layerNormEps);
    n.put("hidden_dropout_prob", (double) hiddenDropoutProb);
    n.put("attention_probs_dropout_prob", (double) attentionProbsDropoutProb);
    n.put("initializer_range", 0.02);
    n.put("pad_token_id", 0);
    n.put("position_embedding_type", "absolute");
    n.put("torch_dtype", "float32");
    Files.writeString(configJson, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n));
  }

  private static int required(JsonNode n, String field, Path file) {
    JsonNode v = n.get(field);
    if (v == null || !v.canConvertToInt()) {
      throw new UserException(file + ": field '" + field + "' is missing or not an integer");
    }
    return v.asInt();
  }

  private static void positive(String field, int value) {
    if (value < 1) {
      throw new UserException(field + " must be positive, got " + value);
    }
  }

  private static void probability(String field, float value) {
    if (!(value >= 0 && value < 1)) {
      throw new UserException(field + " must be in [0, 1), got " + value);
    }
  }
}
