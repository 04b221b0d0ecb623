package dev.newsrec.nn.rec;

import ai.djl.ndarray.NDManager;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.core.model.Recommender;
import dev.newsrec.nn.infer.NewsRecScorer;
import dev.newsrec.nn.model.NewsRecModel;
import dev.newsrec.nn.model.NewsTokens;
import dev.newsrec.nn.model.TitleVocabulary;
import dev.newsrec.nn.plm.PlmTokenizer;
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
  static final String WEIGHTS = "weights.bin";
  private final String type;
  private final NewsRecModel model;
  private final PlmTokenizer tokenizer;
  private final int titleTokens;
  private final NceTrainingOptions training;
  private final HistoryOptions history;
  private final NDManager manager;
  private final TitleVocabulary vocabulary;
  private NewsCorpus tokenized;
  private NewsTokens tokens;

  /** corpus and its tokens may be given when known (training), or null. */
  NeuralRecommender(String type, NewsRecModel model, PlmTokenizer tokenizer, int titleTokens,
      TitleVocabulary vocabulary, NceTrainingOptions training, HistoryOptions history, NDManager manager,
      NewsCorpus corpus, NewsTokens tokens) {
    this.type = type;
    this.vocabulary = vocabulary;
    this.model = model;
    this.tokenizer = tokenizer;
    this.titleTokens = titleTokens;
    this.training = training;
    this.history = history;
    this.manager = manager;
    this.tokenized = corpus;
    this.tokens = tokens;
  }

  /** The titles of a corpus as this model reads them (NRMS: in its own vocabulary). */
  static NewsTokens tokens(NewsCorpus corpus, PlmTokenizer tokenizer, int titleTokens,
      TitleVocabulary vocabulary) {
    NewsTokens t = NewsTokens.of(corpus, tokenizer, titleTokens);
    return vocabulary == null ? t : vocabulary.apply(t);
  }

  public NewsRecModel model() { return model; }

  @Override public String type() { return type; }

  @Override
  public float[] score(Impressions imps) {
    return score(imps, msg -> System.err.println(msg));
  }

  /** The titles of corpus as this model reads them, tokenised once per corpus. */
  public NewsTokens tokens(NewsCorpus corpus) {
    if (tokenized != corpus) {
      tokens = tokens(corpus, tokenizer, titleTokens, vocabulary);
      tokenized = corpus;
    }
    return tokens;
  }

  public float[] score(Impressions imps, java.util.function.Consumer<String> log) {
    NewsTokens tokens = tokens(imps.corpus());
    return new NewsRecScorer(model, tokens, history.max(), history.historyPolicy(),
        training.evalBatch()).score(imps, manager, log);
  }

  @Override
  public void save(Path dir) {
    if (vocabulary != null) vocabulary.write(dir.resolve(TitleVocabulary.FILE));
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
