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

  /** plm_layers (0 = all) and trainable_layers (-1 = all, else at most plm_layers). */
  public static void plmLayers(ConfigProblems p, Integer plmLayers, Integer trainableLayers) {
    p.atLeast("plm_layers", plmLayers, 0);
    p.atLeast("trainable_layers", trainableLayers, -1);
    if (plmLayers != null && trainableLayers != null && plmLayers > 0 && trainableLayers > plmLayers) {
      p.add("trainable_layers", "found " + trainableLayers + ", allowed -1 (all) to plm_layers " + plmLayers);
    }
  }

  /** cache_frozen needs a frozen part: trainable_layers >= 0. */
  public static void cacheFrozen(ConfigProblems p, Boolean cacheFrozen, Integer trainableLayers) {
    if (Boolean.TRUE.equals(cacheFrozen) && trainableLayers != null && trainableLayers == -1) {
      p.add("cache_frozen", "true needs trainable_layers >= 0 (a frozen part to cache), found trainable_layers -1");
    }
  }
}
