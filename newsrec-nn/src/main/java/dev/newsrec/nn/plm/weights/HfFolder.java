package dev.newsrec.nn.plm.weights;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.newsrec.core.UserException;
import dev.newsrec.core.io.AtomicFiles;
import dev.newsrec.nn.plm.BertConfig;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.MlmHead;
import dev.newsrec.nn.plm.tokenizer.HfTokenizer;
import dev.newsrec.nn.plm.tokenizer.PlmTokenizer;
import dev.newsrec.nn.plm.tokenizer.WordPieceTokenizer;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A local Hugging Face BERT folder: {@code config.json}, {@code model.safetensors} and a tokenizer
 * ({@code tokenizer.json} or {@code vocab.txt}). Tensor names may carry a {@code bert.} prefix
 * (BertForMaskedLM, BertForPreTraining checkpoints) and LayerNorm parameters may be named {@code
 * gamma}/{@code beta}. {@code pytorch_model.bin} is refused with a
 * conversion recipe: reading Python pickles is out of scope.
 */
public final class HfFolder {
  public static final String CONFIG = "config.json";
  public static final String WEIGHTS = "model.safetensors";
  public static final String TOKENIZER = "tokenizer.json";
  public static final String VOCAB = "vocab.txt";
  private static final String SEGMENT = "embeddings.segment_embeddings.weight";

  private HfFolder() {}

  /** Reads {@code config.json}. */
  public static BertConfig config(Path dir) {
    Path config = dir.resolve(CONFIG);
    if (!Files.isRegularFile(config)) {
      throw new UserException(dir + ": not a Hugging Face model folder (no " + CONFIG + ")");
    }
    return BertConfig.read(config);
  }

  /**
   * Builds a BertModel from the folder's config (customised by {@code options}, e.g. layer
   * truncation or a segment table), initialises its parameters on {@code manager} (which owns
   * them) and loads the weights.
   */
  public static BertModel load(Path dir, NDManager manager, Consumer<BertModel.Builder> options) {
    BertModel.Builder b = BertModel.builder().setConfig(config(dir));
    options.accept(b);
    BertModel model = b.build();
    model.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
    loadInto(model, null, dir);
    return model;
  }

  /** As {@link #load(Path, NDManager, Consumer)} with the folder's config unchanged. */
  public static BertModel load(Path dir, NDManager manager) {
    return load(dir, manager, b -> { });
  }

  /**
   * Loads the folder's weights into an initialised model and, when {@code head} is not null and
   * the folder has {@code cls.predictions.*} tensors, into the MLM head (otherwise the head keeps
   * its initial values). Layers beyond the model's are ignored (layer truncation).
   */
  public static void loadInto(BertModel model, MlmHead head, Path dir) {
    SafeTensors file = weights(dir);
    Map<String, Parameter> params = model.namedParameters();
    Set<String> optional = new HashSet<>();
    optional.add(SEGMENT);
    Weights.assign(params, name -> find(file, name), file(dir), optional);
    if (params.containsKey(SEGMENT) && find(file, SEGMENT) == null) {
      model.embeddings().resetSegmentTable();
    }
    if (head != null) {
      Map<String, Parameter> hp = head.namedParameters();
      boolean present = hp.keySet().stream().anyMatch(n -> find(file, MlmHead.HF_PREFIX + n) != null);
      if (present) {
        Weights.assign(hp, n -> find(file, MlmHead.HF_PREFIX + n), file(dir), Set.of());
      }
    }
  }

  /**
   * Writes {@code config.json}, {@code model.safetensors} (all encoder parameters, plus the MLM head
   * under {@code cls.predictions.} when given) and, when given, the tokenizer file, into {@code
   * dir} atomically. Python transformers' {@code BertModel.from_pretrained(dir)} loads it.
   */
  public static void save(BertModel model, MlmHead head, Path tokenizerJson, Path dir) {
    byte[] tokenizer = null;
    if (tokenizerJson != null) {
      try {
        tokenizer = Files.readAllBytes(tokenizerJson);
      } catch (java.io.IOException e) {
        throw new UserException(tokenizerJson + ": cannot read tokenizer: " + e.getMessage());
      }
    }
    save(model, head, tokenizer, dir);
  }

  /** As {@link #save(BertModel, MlmHead, Path, Path)} with the tokenizer.json given as bytes. */
  public static void save(BertModel model, MlmHead head, byte[] tokenizerJson, Path dir) {
    List<HostTensor> tensors = new ArrayList<>();
    model.namedParameters().forEach((n, p) -> tensors.add(Weights.get(n, p)));
    if (head != null) {
      head.namedParameters().forEach((n, p) -> tensors.add(Weights.get(MlmHead.HF_PREFIX + n, p)));
    }
    AtomicFiles.writeFolder(dir, tmp -> {
      model.config().write(tmp.resolve(CONFIG));
      try (OutputStream out = Files.newOutputStream(tmp.resolve(WEIGHTS))) {
        SafeTensors.write(out, tensors);
      }
      if (tokenizerJson != null) {
        Files.write(tmp.resolve(TOKENIZER), tokenizerJson);
      }
    });
  }

  /**
   * The folder's tokenizer: {@code tokenizer.json} through Hugging Face tokenizers, else {@code
   * vocab.txt} through {@link WordPieceTokenizer} (lower-casing unless {@code
   * tokenizer_config.json} says {@code "do_lower_case": false}).
   */
  public static PlmTokenizer tokenizer(Path dir) {
    if (Files.isRegularFile(dir.resolve(TOKENIZER))) {
      return HfTokenizer.open(dir.resolve(TOKENIZER));
    }
    if (Files.isRegularFile(dir.resolve(VOCAB))) {
      boolean lower = true;
      Path tc = dir.resolve("tokenizer_config.json");
      if (Files.isRegularFile(tc)) {
        try {
          lower = new com.fasterxml.jackson.databind.ObjectMapper().readTree(tc.toFile())
              .path("do_lower_case").asBoolean(true);
        } catch (java.io.IOException e) {
          throw new UserException(tc + ": cannot read: " + e.getMessage());
        }
      }
      return WordPieceTokenizer.fromVocabFile(dir.resolve(VOCAB), lower);
    }
    throw new UserException(dir + ": no " + TOKENIZER + " or " + VOCAB + " found");
  }

  private static SafeTensors weights(Path dir) {
    Path st = dir.resolve(WEIGHTS);
    if (Files.isRegularFile(st)) {
      return SafeTensors.open(st);
    }
    if (Files.isRegularFile(dir.resolve("pytorch_model.bin"))) {
      throw new UserException(dir + ": has pytorch_model.bin but no model.safetensors; newsrec"
          + " reads safetensors only. Convert once with Python (pip install torch safetensors):\n"
          + "  import torch; from safetensors.torch import save_file\n"
          + "  sd = torch.load('" + dir.resolve("pytorch_model.bin") + "', map_location='cpu')\n"
          + "  save_file({k: v.contiguous() for k, v in sd.items()}, '" + st + "')");
    }
    throw new UserException(dir + ": no " + WEIGHTS + " found");
  }

  /**
   * The tensor for a parameter name, trying the {@code bert.} prefix and the TensorFlow-era
   * LayerNorm names {@code gamma}/{@code beta} (bert-base-uncased still uses them), as Python
   * transformers does when loading.
   */
  private static HostTensor find(SafeTensors file, String name) {
    for (String candidate : candidates(name)) {
      for (String prefixed : new String[] {candidate, "bert." + candidate}) {
        if (file.contains(prefixed)) {
          return file.get(prefixed);
        }
      }
    }
    return null;
  }

  private static List<String> candidates(String name) {
    List<String> names = new ArrayList<>();
    names.add(name);
    if (name.endsWith("LayerNorm.weight")) {
      names.add(name.substring(0, name.length() - "weight".length()) + "gamma");
    } else if (name.endsWith("LayerNorm.bias")) {
      names.add(name.substring(0, name.length() - "bias".length()) + "beta");
    }
    return names;
  }

  private static String file(Path dir) {
    return dir.resolve(WEIGHTS).toString();
  }
}
