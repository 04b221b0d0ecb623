package dev.newsrec.nn.ip2;

import dev.newsrec.core.config.ConfigProblems;
import dev.newsrec.nn.rec.StageOptions;
import dev.newsrec.nn.rec.StageTraining;

/**
 * IP2's entity-title contrastive pre-training (Section 4.2), one {@code pretraining:} entry with
 * {@code stage: contrastive}. The loss is w_et L_et + w_tt L_tt + w_ee L_ee (Eq. 12) over
 * in-batch negatives.
 *
 * @param stage "contrastive"
 * @param seed the stage's own seed; null = the config's
 * @param entityTitle the title <-> signature entity term L_et (false = the ablation "w/o CL e-t")
 * @param titleTitle the title <-> mirror title term L_tt (off together with entity_entity: the
 *     ablation "w/o CL t-t & e-e")
 * @param entityEntity the signature <-> mirror signature term L_ee
 * @param entityTitleWeight w_et (the paper: 0.3)
 * @param titleTitleWeight w_tt (0.2)
 * @param entityEntityWeight w_ee (0.2)
 * @param entityTitleTemperature tau of L_et (0.1)
 * @param titleTitleTemperature tau of L_tt (0.1)
 * @param entityEntityTemperature tau of L_ee (0.1)
 * @param mirrorDropout dropout rate of the noisy gate that turns an embedding into its "mirror"
 *     (0.1)
 * @param skipEntityless leave news without entities out of the stage: their signatures would be
 *     the bare handle, identical for all of them, and each other's false negatives
 * @param plmLearningRate the PLM's learning rate; training.learning_rate is the rest's (the paper
 *     pre-trains with the fine-tuning rates: 1e-5 and 1e-4)
 * @param training length, batch, optimiser (the paper: 2 epochs, batch 128)
 */
public record ContrastiveOptions(String stage, Long seed, Boolean entityTitle, Boolean titleTitle,
    Boolean entityEntity, Double entityTitleWeight, Double titleTitleWeight, Double entityEntityWeight,
    Double entityTitleTemperature, Double titleTitleTemperature, Double entityEntityTemperature,
    Double mirrorDropout, Boolean skipEntityless, Double plmLearningRate, StageTraining training)
    implements StageOptions {
  /** The paper's schedule: 2 epochs at batch 128, lr 1e-4, 10% warm-up, linear decay. */
  public static final StageTraining DEFAULTS = StageTraining.of(0, 2, 128, 1e-4, 0.1, 0.01, 1.0);

  public ContrastiveOptions {
    if (stage == null) stage = ContrastiveStage.NAME;
    if (entityTitle == null) entityTitle = true;
    if (titleTitle == null) titleTitle = true;
    if (entityEntity == null) entityEntity = true;
    if (entityTitleWeight == null) entityTitleWeight = 0.3;
    if (titleTitleWeight == null) titleTitleWeight = 0.2;
    if (entityEntityWeight == null) entityEntityWeight = 0.2;
    if (entityTitleTemperature == null) entityTitleTemperature = 0.1;
    if (titleTitleTemperature == null) titleTitleTemperature = 0.1;
    if (entityEntityTemperature == null) entityEntityTemperature = 0.1;
    if (mirrorDropout == null) mirrorDropout = 0.1;
    if (skipEntityless == null) skipEntityless = true;
    if (plmLearningRate == null) plmLearningRate = 1e-5;
    training = StageTraining.orDefaults(training, DEFAULTS);
    ConfigProblems p = new ConfigProblems();
    p.oneOf("stage", stage, ContrastiveStage.NAME);
    p.atLeast("entity_title_weight", entityTitleWeight, 0);
    p.atLeast("title_title_weight", titleTitleWeight, 0);
    p.atLeast("entity_entity_weight", entityEntityWeight, 0);
    positive(p, "entity_title_temperature", entityTitleTemperature);
    positive(p, "title_title_temperature", titleTitleTemperature);
    positive(p, "entity_entity_temperature", entityEntityTemperature);
    p.fraction("mirror_dropout", mirrorDropout);
    p.between("plm_learning_rate", plmLearningRate, 0, 1);
    if (!entityTitle && !titleTitle && !entityEntity) {
      p.add("entity_title", "all three terms are off (entity_title, title_title, entity_entity): nothing to train");
    }
    if (entityTitle && entityTitleWeight != null && entityTitleWeight == 0) {
      p.add("entity_title_weight", "found 0 with entity_title on; turn the term off with entity_title: false");
    }
    if (titleTitle && titleTitleWeight != null && titleTitleWeight == 0) {
      p.add("title_title_weight", "found 0 with title_title on; turn the term off with title_title: false");
    }
    if (entityEntity && entityEntityWeight != null && entityEntityWeight == 0) {
      p.add("entity_entity_weight", "found 0 with entity_entity on; turn the term off with entity_entity: false");
    }
    if ((titleTitle || entityEntity) && mirrorDropout != null && mirrorDropout == 0) {
      p.add("mirror_dropout", "found 0: a mirror would equal its original (the t-t and e-e terms need noise)");
    }
    p.throwIfAny();
  }

  private static void positive(ConfigProblems p, String key, Double v) {
    if (!(v > 0) || Double.isInfinite(v)) p.add(key, "found " + v + ", allowed a finite number > 0");
  }

  /** The paper's settings. */
  public static ContrastiveOptions defaults() {
    return new ContrastiveOptions(null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null);
  }
}
