package dev.newsrec.nn.punr;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.newsrec.core.UserException;
import dev.newsrec.core.data.News;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.plm.BertModel;
import dev.newsrec.nn.plm.tokenizer.PlmTokenizer;
import dev.newsrec.nn.rec.PretrainingStage;
import dev.newsrec.nn.rec.StageContext;
import dev.newsrec.nn.rec.StageTraining;
import dev.newsrec.nn.train.AdamW;
import dev.newsrec.nn.train.ModelWeights;
import dev.newsrec.nn.train.ShuffledBatches;
import dev.newsrec.nn.train.Trainer;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PUNR's decoder warm-up ({@code decoder_warmup}): the generation decoder and the MLM head train
 * alone on general text, the encoder frozen (its word embeddings too, though the head's decoder
 * is tied to them), so the behaviour stage starts from a decoder that already reads user vectors.
 * Saves the heads in {@code dir/heads.params}, where a later behaviour stage finds them.
 */
public final class DecoderWarmupStage implements PretrainingStage<PunrOptions, DecoderWarmupOptions> {
  @Override public String name() { return DecoderWarmupOptions.NAME; }

  @Override public Class<DecoderWarmupOptions> optionsType() { return DecoderWarmupOptions.class; }

  /** The texts: the data file's lines, or every title and abstract of the corpus. */
  static List<String> texts(DecoderWarmupOptions s, StageContext ctx) {
    List<String> out = new ArrayList<>();
    if (s.data() == null) {
      for (News n : ctx.inputs().corpus().all()) {
        out.add(n.abstractText().isBlank() ? n.title() : n.title() + " " + n.abstractText());
      }
      return out;
    }
    try (BufferedReader in = Files.newBufferedReader(Path.of(s.data()), StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.isBlank()) out.add(line);
      }
    } catch (IOException e) {
      throw new UserException(s.data() + ": cannot read: " + e.getMessage());
    }
    return out;
  }

  /**
   * Splits texts into pieces of at most docTokens - 2 tokens and packs consecutive pieces into
   * {@code [CLS] p1 [SEP] p2 [SEP] ...} of at most docTokens (segment 0 everywhere).
   */
  static List<PretrainingStep.Sample> pack(List<String> texts, PlmTokenizer tokenizer, int docTokens) {
    int cap = docTokens - 2;
    List<PretrainingStep.Sample> out = new ArrayList<>();
    List<long[]> ids = new ArrayList<>();
    List<boolean[]> starts = new ArrayList<>();
    int used = 0;
    for (String text : texts) {
      PlmTokenizer.Tokens t = tokenizer.tokenize(text);
      for (int from = 0; from < t.size(); from += cap) {
        int to = Math.min(t.size(), from + cap);
        long[] piece = Arrays.copyOfRange(t.ids(), from, to);
        boolean[] s = new boolean[piece.length];
        for (int k = 0; k < piece.length; k++) {
          s[k] = k == 0 || t.wordIds()[from + k] != t.wordIds()[from + k - 1];
        }
        int need = piece.length + (ids.isEmpty() ? 0 : 1);
        if (used + need > cap) {
          out.add(sequence(ids, starts, tokenizer));
          ids.clear();
          starts.clear();
          used = 0;
          need = piece.length;
        }
        ids.add(piece);
        starts.add(s);
        used += need;
      }
    }
    if (!ids.isEmpty()) out.add(sequence(ids, starts, tokenizer));
    return out;
  }

  private static PretrainingStep.Sample sequence(List<long[]> pieces, List<boolean[]> starts,
      PlmTokenizer tokenizer) {
    int length = 1;
    for (long[] p : pieces) length += p.length + 1;
    int[] ids = new int[length];
    boolean[] wordStart = new boolean[length];
    int[] spanStart = new int[pieces.size()];
    int[] spanEnd = new int[pieces.size()];
    ids[0] = tokenizer.clsId();
    int pos = 1;
    for (int k = 0; k < pieces.size(); k++) {
      spanStart[k] = pos;
      for (int j = 0; j < pieces.get(k).length; j++) {
        ids[pos] = (int) pieces.get(k)[j];
        wordStart[pos++] = starts.get(k)[j];
      }
      spanEnd[k] = pos;
      ids[pos] = tokenizer.sepId();
      wordStart[pos++] = true;
    }
    return new PretrainingStep.Sample(ids, new int[length], spanStart, spanEnd, wordStart);
  }

  @Override
  public void run(PunrOptions model, DecoderWarmupOptions s, NewsRecModel net, StageContext ctx) {
    PunrEncoder encoder = PunrPretraining.userEncoder(net);
    BertModel bert = encoder.plm();
    List<PretrainingStep.Sample> samples = pack(texts(s, ctx), ctx.tokenizer(), s.docTokens());
    if (samples.isEmpty()) throw new UserException("decoder_warmup: no text to train on");
    StageTraining t = s.training();
    ctx.log().accept(String.format(Locale.ROOT, "decoder_warmup: %d sequences of at most %d tokens from %s",
        samples.size(), s.docTokens(), s.data() == null ? "the corpus's titles and abstracts" : s.data()));
    NDManager weights = bert.embeddings().wordEmbedding().getArray().getManager();
    // Frozen so that no gradient reaches (and lingers on) the encoder; restored afterwards.
    List<Map.Entry<Parameter, Boolean>> frozen = PunrPretraining.freeze(encoder);
    try (NDManager own = weights.newSubManager()) {
      PunrHeads heads = PunrPretraining.heads(bert, own, model.plm(), ctx.log());
      PunrPretraining.StageBlock block = new PunrPretraining.StageBlock(null, heads);
      BehaviourMasking masking = s.alpha() > 0 ? new BehaviourMasking(s.alpha(), 0,
          ctx.tokenizer().maskId(), bert.config().vocabSize()) : null;
      PretrainingStep step = new PretrainingStep(encoder, heads, masking, false, true, 1, 1, true,
          ctx.tokenizer().padId());
      ShuffledBatches<PretrainingStep.Sample> batches = new ShuffledBatches<>(samples, t.micro(), ctx.seed(), false);
      try (AdamW optimizer = AdamW.builder().learningRate(t.learningRate()).weightDecay(t.weightDecay()).build(block);
          Trainer<List<PretrainingStep.Sample>> trainer = ctx.trainer(block, step, batches, optimizer, t,
              batches.batchesPerEpoch())) {
        trainer.train();
      }
      ModelWeights.save(heads, ctx.dir().resolve(PunrHeads.FILE));
    } finally {
      PunrPretraining.restore(frozen);
    }
  }
}
