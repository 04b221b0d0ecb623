package dev.newsrec.nn.punr;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.newsrec.core.UserException;
import dev.newsrec.nn.model.NewsInputs;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.weights.HfFolder;
import dev.newsrec.nn.plm.weights.MiniLm;
import dev.newsrec.nn.plm.MlmHead;
import dev.newsrec.nn.plm.PlmBlock;
import dev.newsrec.nn.plm.tokenizer.PlmTokenizer;
import dev.newsrec.nn.plm.weights.PretrainedPlm;
import dev.newsrec.nn.plm.weights.SafeTensors;
import dev.newsrec.nn.plm.weights.Weights;
import dev.newsrec.nn.train.ModelWeights;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** What PUNR's two pre-training stages share: heads, word boundaries, export. */
final class PunrPretraining {
  /** The folder under a behaviour stage's dir holding the exported Hugging Face encoder. */
  static final String ENCODER = "encoder";

  private PunrPretraining() {}

  /** The encoder the user side runs (the shared one when Siamese). */
  static PunrEncoder userEncoder(NewsRecModel net) {
    if (!(net.userEncoder() instanceof PunrUserEncoder u)) {
      throw new IllegalArgumentException("not a PUNR model: " + net.userEncoder().getClass().getSimpleName());
    }
    return u.encoder();
  }

  /**
   * Fresh heads for the encoder on a sub-manager of its weights' manager (closed by the caller),
   * with the MLM head of the PLM folder when it has one (bert-base-uncased does; MiniLM not).
   */
  static PunrHeads heads(BertModel bert, ai.djl.ndarray.NDManager manager, String plm, Consumer<String> log) {
    PunrHeads heads = new PunrHeads(bert);
    heads.initialize(manager, DataType.FLOAT32, new Shape(1, 1, bert.config().hiddenSize()));
    Path dir = Path.of(plm);
    if (!plm.equalsIgnoreCase(PretrainedPlm.BUNDLED) && Files.isRegularFile(dir.resolve(HfFolder.WEIGHTS))) {
      SafeTensors file = SafeTensors.open(dir.resolve(HfFolder.WEIGHTS));
      Map<String, Parameter> params = heads.mlm().namedParameters();
      int found = 0;
      for (Map.Entry<String, Parameter> e : params.entrySet()) {
        String name = find(file, MlmHead.HF_PREFIX + e.getKey());
        if (name != null) {
          Weights.set(e.getKey(), e.getValue(), file.get(name), dir.toString());
          found++;
        }
      }
      log.accept(found == params.size() ? "MLM head loaded from " + plm
          : "MLM head: " + plm + " has " + found + " of " + params.size() + " tensors; the rest start at random");
    }
    return heads;
  }

  private static String find(SafeTensors file, String name) {
    List<String> names = new ArrayList<>(List.of(name));
    if (name.endsWith("LayerNorm.weight")) names.add(name.replace("LayerNorm.weight", "LayerNorm.gamma"));
    if (name.endsWith("LayerNorm.bias")) names.add(name.replace("LayerNorm.bias", "LayerNorm.beta"));
    return names.stream().filter(file::contains).findFirst().orElse(null);
  }

  /** The newest heads file an earlier stage of this run saved. */
  static Optional<Path> earlierHeads(List<Path> earlier) {
    for (int i = earlier.size() - 1; i >= 0; i--) {
      Path f = earlier.get(i).resolve(PunrHeads.FILE);
      if (Files.isRegularFile(f)) return Optional.of(f);
    }
    return Optional.empty();
  }

  static void loadHeads(PunrHeads heads, Path file) {
    try {
      ModelWeights.load(heads, file);
    } catch (IOException e) {
      throw new UserException(file + ": cannot read the decoder: " + e.getMessage());
    }
  }

  /**
   * For each news, which of its title's tokens (between [CLS] and [SEP], as {@code
   * inputs.titles()}) begin a word: from the tokenizer's word ids. A title whose tokens differ
   * from the stored ones (another vocabulary) counts every token as a word.
   */
  static boolean[][] wordStarts(NewsInputs inputs, PlmTokenizer tokenizer) {
    int n = inputs.size();
    boolean[][] out = new boolean[n][];
    for (int i = 0; i < n; i++) {
      int[] stored = inputs.titles().ids(i);
      int content = Math.max(0, stored.length - 2);
      PlmTokenizer.Tokens t = tokenizer.tokenize(inputs.corpus().get(i).title());
      boolean[] starts = new boolean[content];
      Arrays.fill(starts, true);
      boolean same = t.size() >= content;
      for (int k = 0; same && k < content; k++) same = t.ids()[k] == stored[k + 1];
      if (same) {
        for (int k = 1; k < content; k++) starts[k] = t.wordIds()[k] != t.wordIds()[k - 1];
      }
      out[i] = starts;
    }
    return out;
  }

  /** A document as a pre-training sample, with its titles' word boundaries. */
  static PretrainingStep.Sample sample(UserDocuments.Document d, boolean[][] wordStarts) {
    boolean[] starts = new boolean[d.length()];
    Arrays.fill(starts, true);
    for (int k = 0; k < d.behaviours(); k++) {
      boolean[] w = wordStarts[d.news()[k]];
      for (int t = d.spanStart()[k]; t < d.spanEnd()[k]; t++) {
        int j = t - d.spanStart()[k];
        starts[t] = j >= w.length || w[j];
      }
    }
    return new PretrainingStep.Sample(d.ids(), d.segments(), d.spanStart(), d.spanEnd(), starts);
  }

  /** Saves the encoder as a Hugging Face BERT folder, with its MLM head and the PLM's tokenizer. */
  static void export(BertModel bert, MlmHead head, String plm, Path dir) {
    try {
      if (plm.equalsIgnoreCase(PretrainedPlm.BUNDLED)) {
        byte[] tokenizer;
        try (InputStream in = MiniLm.class.getResourceAsStream(MiniLm.TOKENIZER_RESOURCE)) {
          tokenizer = in.readAllBytes();
        }
        HfFolder.save(bert, head, tokenizer, dir);
        return;
      }
      Path source = Path.of(plm);
      Path json = source.resolve(HfFolder.TOKENIZER);
      HfFolder.save(bert, head, Files.isRegularFile(json) ? json : null, dir);
      for (String f : new String[] {HfFolder.VOCAB, "tokenizer_config.json"}) {
        if (!Files.isRegularFile(json) && Files.isRegularFile(source.resolve(f))) {
          Files.copy(source.resolve(f), dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UserException("cannot export the encoder to " + dir + ": " + e.getMessage());
    }
  }

  /** Remembers which parameters train and freezes them all; {@link #restore} undoes it. */
  static List<Map.Entry<Parameter, Boolean>> freeze(PlmBlock block) {
    List<Map.Entry<Parameter, Boolean>> before = new ArrayList<>();
    for (Parameter p : block.namedParameters().values()) {
      before.add(Map.entry(p, p.requiresGradient()));
      p.freeze(true);
    }
    return before;
  }

  static void restore(List<Map.Entry<Parameter, Boolean>> before) {
    for (Map.Entry<Parameter, Boolean> e : before) e.getKey().freeze(!e.getValue());
  }

  /** The blocks one stage trains, under one root, so checkpoints hold all of them. */
  static final class StageBlock extends PlmBlock {
    /** model may be null (the decoder warm-up trains the heads alone). */
    StageBlock(NewsRecModel model, PunrHeads heads) {
      if (model != null) child("model", model);
      child("heads", heads);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
        PairList<String, Object> params) {
      throw new UnsupportedOperationException("a stage's blocks are run by its step function");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
      return inputShapes;
    }
  }
}
