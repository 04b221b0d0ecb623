package dev.newsrec.nn.punr;

import dev.newsrec.core.config.ConfigProblems;
import dev.newsrec.nn.rec.StageOptions;
import dev.newsrec.nn.rec.StageTraining;

/**
 * The {@code decoder_warmup} stage (PUNR Sec. 3.1, Table 3): the generation decoder and the MLM
 * head's transform train alone, the encoder frozen, on general text. Defaults are the paper's.
 *
 * @param stage "decoder_warmup"
 * @param seed the stage's seed; absent = the config's
 * @param training schedule; defaults 150k steps, batch 512, AdamW lr 3e-4, warm-up 0.1, weight
 *     decay 0.01, clip 1.0
 * @param data a UTF-8 text file, one document per line (paper: Wiki+BookCorpus); absent = every
 *     title and abstract of the run's corpus, so nothing is downloaded
 * @param docTokens target length of a sequence, [CLS] and [SEP] counted (paper: 512); long
 *     documents are split, short ones packed together separated by [SEP]
 * @param alpha whole-word masking ratio of the encoder's input, so the decoder learns from user
 *     vectors of masked passes as in the behaviour stage (0.3); 0 = unmasked
 */
public record DecoderWarmupOptions(String stage, Long seed, StageTraining training, String data,
    Integer docTokens, Double alpha) implements StageOptions {
  public static final String NAME = "decoder_warmup";
  public static final StageTraining DEFAULTS = StageTraining.of(150_000, 1, 512, 3e-4, 0.1, 0.01, 1.0);

  public DecoderWarmupOptions {
    if (stage == null) stage = NAME;
    training = StageTraining.orDefaults(training, DEFAULTS);
    if (docTokens == null) docTokens = PunrOptions.MAX_DOC_TOKENS;
    if (alpha == null) alpha = 0.3;
    ConfigProblems p = new ConfigProblems();
    p.between("doc_tokens", docTokens, 3, PunrOptions.MAX_DOC_TOKENS);
    p.fraction("alpha", alpha);
    if (data != null && !java.nio.file.Files.isRegularFile(java.nio.file.Path.of(data))) {
      p.add("data", "found '" + data + "', allowed a readable text file (one document per line)");
    }
    p.throwIfAny();
  }

  public static DecoderWarmupOptions defaults() {
    return new DecoderWarmupOptions(null, null, null, null, null, null);
  }
}
