package dev.newsrec.nn.rec;

import dev.newsrec.nn.model.NewsRecModel;

/**
 * A pre-training stage a model package offers (PUNR: decoder warm-up, user-behaviour
 * pre-training; IP2: entity-title contrastive pre-training). A config lists stages under
 * {@code pretraining:}; the shared runner ({@link NeuralSpec}) builds the model, runs the stages
 * in order on it, saves its weights after each stage (by parameter name, so another run can start
 * from them with {@code init_from}), then fine-tunes.
 *
 * <p>A stage trains the model in place. Blocks only the stage needs (a decoder, a projection head)
 * are the stage's own: it trains them together with the model (one {@code Trainer} over a block
 * holding both) and may save them in {@link StageContext#dir()}.
 *
 * @param <O> the model's options
 * @param <S> the stage's options record
 */
public interface PretrainingStage<O extends NeuralOptions, S extends StageOptions> {
  /** The name a config gives in {@code pretraining[i].stage}. */
  String name();

  Class<S> optionsType();

  /** Runs the stage; resumes from the newest checkpoint in ctx's folder when there is one. */
  void run(O model, S options, NewsRecModel net, StageContext ctx);
}
