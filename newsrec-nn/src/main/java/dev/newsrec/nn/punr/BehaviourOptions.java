package dev.newsrec.nn.punr;

import dev.newsrec.core.config.ConfigProblems;
import dev.newsrec.nn.rec.StageOptions;
import dev.newsrec.nn.rec.StageTraining;

/**
 * The {@code behaviour} pre-training stage (PUNR Sec. 2.2, 3.1): user-behaviour masking and
 * generation on the training users' documents. Defaults are the paper's.
 *
 * @param stage "behaviour"
 * @param seed the stage's seed; absent = the config's
 * @param training schedule; defaults 10k steps, batch 256, AdamW lr 1e-5, warm-up 0.1, weight
 *     decay 0.01, clip 1.0
 * @param alpha total masking ratio of the document's title tokens (paper: 0.3)
 * @param beta share of that budget spent on whole behaviours (paper: 0.3)
 * @param masking the user-behaviour masking task (MLM loss); false = generation only (ablation)
 * @param generation the user-behaviour generation task (decoder loss); false = masking only
 * @param mlmWeight weight of the MLM loss (1.0)
 * @param decoderWeight weight of the decoder loss (1.0)
 * @param warmDecoder start the decoder (and MLM head) from an earlier {@code decoder_warmup}
 *     stage of this run when there is one (paper); false = random start (the paper's ablation)
 */
public record BehaviourOptions(String stage, Long seed, StageTraining training, Double alpha,
    Double beta, Boolean masking, Boolean generation, Double mlmWeight, Double decoderWeight,
    Boolean warmDecoder) implements StageOptions {
  public static final String NAME = "behaviour";
  public static final StageTraining DEFAULTS = StageTraining.of(10_000, 1, 256, 1e-5, 0.1, 0.01, 1.0);

  public BehaviourOptions {
    if (stage == null) stage = NAME;
    training = StageTraining.orDefaults(training, DEFAULTS);
    if (alpha == null) alpha = 0.3;
    if (beta == null) beta = 0.3;
    if (masking == null) masking = true;
    if (generation == null) generation = true;
    if (mlmWeight == null) mlmWeight = 1.0;
    if (decoderWeight == null) decoderWeight = 1.0;
    if (warmDecoder == null) warmDecoder = true;
    ConfigProblems p = new ConfigProblems();
    p.fraction("alpha", alpha);
    if (alpha != null && alpha == 0 && masking) p.add("alpha", "found 0, allowed (0, 1] while masking is on");
    p.between("beta", beta, 0.0, 1.0);
    p.atLeast("mlm_weight", mlmWeight, 0);
    p.atLeast("decoder_weight", decoderWeight, 0);
    if (!masking && !generation) {
      p.add("generation", "masking and generation are both false: the stage would train nothing");
    }
    p.throwIfAny();
  }

  public static BehaviourOptions defaults() {
    return new BehaviourOptions(null, null, null, null, null, null, null, null, null, null);
  }
}
