package dev.newsrec.nn.model;

import dev.newsrec.core.data.EntityEmbeddings;
import dev.newsrec.core.data.News;
import dev.newsrec.core.data.NewsCorpus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What news encoders read of every news of a corpus, built once per corpus: the title's tokens,
 * category and subcategory ids, and the title's entities in order of occurrence (as ids into
 * {@link #entityIds()}, with their {@code entity_embedding.vec} vectors when a model asks for them).
 * PLM-NR and NRMS read only the titles; IP2's signature entity encoder reads the rest. News added
 * at run time (serving) get the next index.
 */
public final class NewsInputs {
  private final NewsCorpus corpus;
  private final NewsTokens titles;
  private final Map<String, Integer> categories = new LinkedHashMap<>();
  private final Map<String, Integer> subcategories = new LinkedHashMap<>();
  private final Map<String, Integer> entities = new LinkedHashMap<>();
  private final List<int[]> labels = new ArrayList<>(); // per news: category, subcategory
  private final List<int[]> titleEntities = new ArrayList<>();
  private float[][] entityVectors;
  private int missingVectors;

  private NewsInputs(NewsCorpus corpus, NewsTokens titles) {
    this.corpus = corpus;
    this.titles = titles;
    for (int n = 0; n < corpus.size(); n++) index(corpus.get(n));
  }

  /** The inputs of every news of corpus, whose titles are already tokenised (titles.size() == corpus.size()). */
  public static NewsInputs of(NewsCorpus corpus, NewsTokens titles) {
    if (titles.size() != corpus.size()) {
      throw new IllegalArgumentException(titles.size() + " titles for " + corpus.size() + " news");
    }
    return new NewsInputs(corpus, titles);
  }

  private void index(News news) {
    labels.add(new int[] {id(categories, news.category()), id(subcategories, news.subCategory())});
    // Entities in the order they occur in the title (first offset), each once.
    List<dev.newsrec.core.data.Entity> es = new ArrayList<>(news.titleEntities());
    es.sort(Comparator.comparingInt(e -> e.occurrenceOffsets().isEmpty() ? Integer.MAX_VALUE
        : e.occurrenceOffsets().get(0)));
    titleEntities.add(es.stream().map(e -> id(entities, e.wikidataId())).distinct()
        .mapToInt(Integer::intValue).toArray());
  }

  private static int id(Map<String, Integer> ids, String key) {
    return ids.computeIfAbsent(key, k -> ids.size());
  }

  public NewsCorpus corpus() { return corpus; }

  public NewsTokens titles() { return titles; }

  public int size() { return labels.size(); }

  public int category(int news) { return labels.get(news)[0]; }

  public int subcategory(int news) { return labels.get(news)[1]; }

  /** Distinct categories and subcategories seen, in order of first appearance. */
  public List<String> categoryNames() { return List.copyOf(categories.keySet()); }

  public List<String> subcategoryNames() { return List.copyOf(subcategories.keySet()); }

  /** The title's entities as ids into {@link #entityIds()}, in order of occurrence. */
  public int[] entities(int news) { return titleEntities.get(news); }

  /** WikidataIds of every title entity of the corpus, in order of first appearance. */
  public List<String> entityIds() { return List.copyOf(entities.keySet()); }

  /**
   * Looks the entities' vectors up (MIND's TransE {@code entity_embedding.vec}); ids without one
   * get null and are counted ({@link #missingVectors()}), so a model can start them at random.
   */
  public NewsInputs withEntityVectors(EntityEmbeddings vectors, java.util.function.Consumer<String> log) {
    List<String> ids = entityIds();
    entityVectors = new float[ids.size()][];
    missingVectors = 0;
    for (int e = 0; e < ids.size(); e++) {
      entityVectors[e] = vectors.indexOf(ids.get(e)) < 0 ? null : vectors.vector(ids.get(e));
      if (entityVectors[e] == null) missingVectors++;
    }
    log.accept(String.format("entity vectors: %d of %d title entities have one (%d missing)",
        ids.size() - missingVectors, ids.size(), missingVectors));
    return this;
  }

  /** The entity's vector, or null (no vectors asked for, or the id has none). */
  public float[] entityVector(int entity) {
    return entityVectors == null || entity >= entityVectors.length ? null : entityVectors[entity];
  }

  public int missingVectors() { return missingVectors; }

  /**
   * Adds a news unknown so far (serving: a fresh article) with its tokenised title; returns its
   * index. A news the corpus holds already keeps its index and inputs.
   */
  public synchronized int add(News news, int[] titleTokens) {
    int known = corpus.indexOf(news.id());
    if (known >= 0) return known;
    int n = corpus.add(news);
    titles.append(n, titleTokens);
    index(news);
    return n;
  }
}
