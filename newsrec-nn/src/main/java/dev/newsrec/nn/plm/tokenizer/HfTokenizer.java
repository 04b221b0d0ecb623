package dev.newsrec.nn.plm.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.newsrec.core.UserException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} run by DJL's native tokenizers library, offline. The
 * file's own truncation and padding settings are switched off: {@link PlmTokenizer#encode} applies
 * the caller's explicit max length and padding.
 */
public final class HfTokenizer implements PlmTokenizer {
  private final HuggingFaceTokenizer tokenizer;
  private final Map<String, Integer> vocab;
  private final int pad;
  private final int cls;
  private final int sep;
  private final int mask;
  private final int unk;

  private HfTokenizer(byte[] json, String source) throws IOException {
    Map<String, String> options = new HashMap<>();
    options.put("addSpecialTokens", "false");
    options.put("truncation", "false");
    options.put("padding", "false");
    tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), options);
    vocab = readVocab(json, source);
    pad = special("[PAD]", source);
    cls = special("[CLS]", source);
    sep = special("[SEP]", source);
    mask = special("[MASK]", source);
    unk = special("[UNK]", source);
  }

  /** Reads a tokenizer.json file. */
  public static HfTokenizer open(Path tokenizerJson) {
    try {
      return new HfTokenizer(Files.readAllBytes(tokenizerJson), tokenizerJson.toString());
    } catch (IOException e) {
      throw new UserException(tokenizerJson + ": cannot read tokenizer: " + e.getMessage());
    }
  }

  /** Reads a tokenizer.json from a stream (closed by the caller). */
  public static HfTokenizer open(InputStream in, String source) {
    try {
      return new HfTokenizer(in.readAllBytes(), source);
    } catch (IOException e) {
      throw new UserException(source + ": cannot read tokenizer: " + e.getMessage());
    }
  }

  /** The WordPiece vocabulary in a tokenizer.json (model.vocab). */
  static Map<String, Integer> readVocab(byte[] json, String source) throws IOException {
    JsonNode v = new ObjectMapper().readTree(json).path("model").path("vocab");
    if (!v.isObject()) {
      throw new UserException(source + ": no model.vocab object (not a WordPiece tokenizer)");
    }
    Map<String, Integer> vocab = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      vocab.put(e.getKey(), e.getValue().asInt());
    }
    return vocab;
  }

  /** The vocabulary (token -> id), e.g. to build a {@link WordPieceTokenizer} on the same words. */
  public Map<String, Integer> vocab() {
    return Map.copyOf(vocab);
  }

  private int special(String token, String source) {
    Integer id = vocab.get(token);
    if (id == null) {
      throw new UserException(source + ": vocabulary has no " + token + " token");
    }
    return id;
  }

  @Override
  public Tokens tokenize(String text) {
    Encoding e = tokenizer.encode(text, false, false);
    long[] ids = e.getIds();
    long[] words = e.getWordIds();
    return new Tokens(ids, words.length == ids.length ? words : new long[ids.length]);
  }

  @Override
  public int padId() {
    return pad;
  }

  @Override
  public int clsId() {
    return cls;
  }

  @Override
  public int sepId() {
    return sep;
  }

  @Override
  public int maskId() {
    return mask;
  }

  @Override
  public int unkId() {
    return unk;
  }

  @Override
  public int vocabSize() {
    return vocab.size();
  }

  @Override
  public int idOf(String token) {
    return vocab.getOrDefault(token, -1);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
