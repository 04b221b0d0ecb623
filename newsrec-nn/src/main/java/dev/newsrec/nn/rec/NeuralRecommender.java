package dev.newsrec.nn.rec;

import ai.djl.ndarray.NDManager;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.core.model.Recommender;
import dev.newsrec.nn.infer.NewsScoring;
import dev.newsrec.nn.model.NewsInputs;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.model.NewsTokens;
import dev.newsrec.nn.model.TitleVocabulary;
import dev.newsrec.nn.plm.tokenizer.PlmTokenizer;
import dev.newsrec.nn.train.ModelWeights;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A trained two-tower model (NRMS, PLM-NR): scores any split, saves its weights. */
public final class NeuralRecommender implements Recommender {
  public static final String WEIGHTS = "weights.bin";
  private final String type;
  private final NewsRecModel model;
  private final PlmTokenizer tokenizer;
  private final int titleTokens;
  private final NceTrainingOptions training;
  private final HistoryOptions history;
  private final NDManager manager;
  private final TitleVocabulary vocabulary;
  private final java.util.function.Consumer<Path> extras;
  private NewsScoring scoring;

  /** inputs may be given when known (the training corpus), or null. */
  NeuralRecommender(String type, NewsRecModel model, PlmTokenizer tokenizer, int titleTokens,
      TitleVocabulary vocabulary, NceTrainingOptions training, HistoryOptions history, NDManager manager,
      NewsInputs inputs, java.util.function.Consumer<Path> extras) {
    this.type = type;
    this.extras = extras;
    this.vocabulary = vocabulary;
    this.model = model;
    this.tokenizer = tokenizer;
    this.titleTokens = titleTokens;
    this.training = training;
    this.history = history;
    this.manager = manager;
    if (inputs != null) scoring = newScoring(inputs);
  }

  /** One title as this model reads it (NRMS: in its own vocabulary). */
  int[] titleTokens(String title) {
    int[] t = NewsTokens.title(title, tokenizer, titleTokens);
    return vocabulary == null ? t : vocabulary.apply(t);
  }

  private NewsScoring newScoring(NewsInputs inputs) {
    return new NewsScoring(model, inputs, this::titleTokens, history.max(), history.historyPolicy(),
        training.evalBatch(), manager);
  }

  public NewsRecModel model() { return model; }

  @Override public String type() { return type; }

  /**
   * Request-level scoring over a corpus (its titles tokenised once, news vectors cached): hands out
   * per-thread scorers. The same object for the same corpus.
   */
  public synchronized NewsScoring scoring(NewsCorpus corpus) {
    if (scoring == null || scoring.inputs().corpus() != corpus) {
      NewsTokens t = NewsTokens.of(corpus, tokenizer, titleTokens);
      scoring = newScoring(NewsInputs.of(corpus, vocabulary == null ? t : vocabulary.apply(t)));
    }
    return scoring;
  }

  /** The weights changed (a training step ran): cached news vectors are stale. */
  synchronized void weightsChanged() {
    if (scoring != null) scoring.invalidate();
  }

  /** The titles of corpus as this model reads them, tokenised once per corpus. */
  public NewsTokens tokens(NewsCorpus corpus) {
    return scoring(corpus).inputs().titles();
  }

  @Override
  public float[] score(Impressions imps) {
    return score(imps, msg -> System.err.println(msg));
  }

  public float[] score(Impressions imps, java.util.function.Consumer<String> log) {
    return scoring(imps.corpus()).score(imps, log);
  }

  @Override
  public void save(Path dir) {
    if (vocabulary != null) vocabulary.write(dir.resolve(TitleVocabulary.FILE));
    extras.accept(dir); // the model's own tables (NeuralModel.save)
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
        Files.newOutputStream(dir.resolve(WEIGHTS)), 1 << 16))) {
      ModelWeights.save(model, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(WEIGHTS), e);
    }
  }

  static void loadWeights(NewsRecModel model, Path dir) {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(
        Files.newInputStream(dir.resolve(WEIGHTS)), 1 << 16))) {
      ModelWeights.load(model, in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve(WEIGHTS) + ": " + e.getMessage(), e);
    }
  }
}
