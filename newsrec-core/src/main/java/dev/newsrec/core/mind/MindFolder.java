package dev.newsrec.core.mind;

import dev.newsrec.core.UserException;
import dev.newsrec.core.data.DataFormatException;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.NewsCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One MIND split folder (news.tsv, behaviors.tsv, entity_embedding.vec, relation_embedding.vec). */
public record MindFolder(Path dir) {
  public static final String NEWS = "news.tsv";
  public static final String BEHAVIORS = "behaviors.tsv";
  public static final String ENTITY_VECTORS = "entity_embedding.vec";
  public static final String RELATION_VECTORS = "relation_embedding.vec";

  /** The folder, checked to hold news.tsv and behaviors.tsv. */
  public static MindFolder of(Path dir) {
    if (!Files.isDirectory(dir)) throw new UserException(dir + ": no such folder");
    for (String f : List.of(NEWS, BEHAVIORS)) {
      if (!Files.isRegularFile(dir.resolve(f))) {
        throw new UserException(dir + ": no " + f + " (a MIND split folder holds " + NEWS + " and "
            + BEHAVIORS + ")");
      }
    }
    return new MindFolder(dir);
  }

  public Path news() { return dir.resolve(NEWS); }

  public Path behaviors() { return dir.resolve(BEHAVIORS); }

  public Path entityVectors() { return dir.resolve(ENTITY_VECTORS); }

  /** The files a run reads from this folder (for provenance hashes). */
  public List<Path> files() {
    List<Path> out = new ArrayList<>(List.of(news(), behaviors()));
    if (Files.isRegularFile(entityVectors())) out.add(entityVectors());
    return out;
  }

  /**
   * One corpus over the news.tsv of all folders, so no split loses its news. A news.tsv without
   * a row is an error even when lenient: there is nothing to run on.
   */
  public static NewsCorpus corpus(List<MindFolder> folders, ReadOptions options, List<String> log) {
    NewsCorpus corpus = new NewsCorpus();
    for (MindFolder f : folders) {
      ReadReport r = new ReadReport();
      MindReader.readNews(f.news(), corpus, options, r);
      requireRows(f.news(), r, "no news");
      String s = r.summary(f.news().toString());
      if (!s.isEmpty()) log.add(s);
    }
    return corpus;
  }

  /**
   * The entity vectors of every folder that has an entity_embedding.vec (MIND ships one per
   * split, overlapping): one table, the first folder's vector kept for an id in several; null when
   * no folder has the file.
   */
  public static dev.newsrec.core.data.EntityEmbeddings entityVectors(List<MindFolder> folders,
      ReadOptions options, List<String> log) {
    dev.newsrec.core.data.IdIndex ids = new dev.newsrec.core.data.IdIndex();
    java.util.List<float[]> rows = new java.util.ArrayList<>();
    int dim = -1;
    Path first = null;
    for (MindFolder f : folders) {
      if (!Files.isRegularFile(f.entityVectors())) continue;
      ReadReport r = new ReadReport();
      dev.newsrec.core.data.EntityEmbeddings e = MindReader.readVectors(f.entityVectors(), options, r);
      String s = r.summary(f.entityVectors().toString());
      if (!s.isEmpty()) log.add(s);
      if (e.size() == 0) continue;
      if (dim >= 0 && e.dim() != dim) {
        throw new dev.newsrec.core.UserException(f.entityVectors() + ": vectors of dimension "
            + e.dim() + ", but " + first + " has " + dim);
      }
      dim = e.dim();
      if (first == null) first = f.entityVectors();
      for (int i = 0; i < e.size(); i++) {
        if (ids.get(e.id(i)) >= 0) continue;
        ids.add(e.id(i));
        rows.add(e.vector(e.id(i)));
      }
    }
    if (dim < 0) return null;
    float[] values = new float[rows.size() * dim];
    for (int i = 0; i < rows.size(); i++) System.arraycopy(rows.get(i), 0, values, i * dim, dim);
    return new dev.newsrec.core.data.EntityEmbeddings(ids, values, dim);
  }

  /** The impressions of behaviors.tsv; a file without one is an error even when lenient. */
  public Impressions impressions(NewsCorpus corpus, ReadOptions options, List<String> log) {
    ReadReport r = new ReadReport();
    Impressions imps = MindReader.readBehaviors(behaviors(), corpus, options, r);
    requireRows(behaviors(), r, "no impressions");
    String s = r.summary(behaviors().toString());
    if (!s.isEmpty()) log.add(s);
    return imps;
  }

  /**
   * The impressions of a split used for training: as {@link #impressions}, and at least one
   * clicked candidate, without which no model can learn (the loss has no positive).
   */
  public Impressions trainingImpressions(NewsCorpus corpus, ReadOptions options, List<String> log) {
    Impressions imps = impressions(corpus, options, log);
    requireClicks(behaviors(), imps);
    return imps;
  }

  /** Fails when impressions (of a training split read from file) hold no click. */
  public static void requireClicks(Path file, Impressions imps) {
    if (imps.clicks() == 0) {
      throw new DataFormatException(file, 0, null, imps.labelled()
          ? "no clicked candidate (label 1) in any impression: a training split needs clicks"
          : "no labels: a training split needs candidates labelled NewsID-1 or NewsID-0");
    }
  }

  private static void requireRows(Path file, ReadReport r, String problem) {
    if (r.records() > 0) return;
    throw new DataFormatException(file, 0, null, problem + (r.skippedLines() == 0 ? " (empty file)"
        : " (all " + r.skippedLines() + " lines dropped as defects; first: " + r.firstDefect() + ")"));
  }
}
