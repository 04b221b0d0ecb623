package dev.newsrec.nn.rec;

import dev.newsrec.core.config.ConfigProblems;
import dev.newsrec.nn.plm.weights.PretrainedPlm;

/** Checks the options both neural models share, with the same ranges and words. */
public final class OptionChecks {
  private OptionChecks() {}

  /** What {@code Engines.device} accepts; whether the GPU exists is known only once the engine loads. */
  private static final String DEVICE = "(?i)cpu|(gpu|cuda)(:\\d+)?";
  /** [CLS] + one token + [SEP] at least; BERT-style position tables stop at 512. */
  static final int MIN_TITLE_TOKENS = 3;
  static final int MAX_TITLE_TOKENS = 512;

  public static void common(ConfigProblems p, String plm, Integer titleTokens, Integer queryDim,
      Double dropout, String device) {
    p.required("plm", plm, "'" + PretrainedPlm.BUNDLED + "' or a Hugging Face model folder");
    p.between("title_tokens", titleTokens, MIN_TITLE_TOKENS, MAX_TITLE_TOKENS);
    p.atLeast("query_dim", queryDim, 1);
    p.fraction("dropout", dropout);
    p.matches("device", device, DEVICE, "cpu, gpu, gpu:N, cuda or cuda:N");
  }

  /** A PLM given as a folder must be there before the run starts. */
  public static void plmFolder(ConfigProblems p, String plm) {
    if (!plm.equalsIgnoreCase(PretrainedPlm.BUNDLED)) p.readableFolder("plm", plm);
  }
}
