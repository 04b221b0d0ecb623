package dev.newsrec.core.mind;

import dev.newsrec.core.data.Entity;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.News;
import dev.newsrec.core.io.AtomicFiles;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** Writes news.tsv, behaviors.tsv and *.vec exactly as MIND lays them out; files appear whole. */
public final class MindWriter {
  private MindWriter() {}

  public static void writeNews(Path file, Iterable<News> news) {
    AtomicFiles.writeText(file, w -> {
      for (News n : news) writeNews(w, n);
    });
  }

  public static void writeNews(Writer w, News n) throws IOException {
    w.write(n.id());
    w.write('\t');
    w.write(n.category());
    w.write('\t');
    w.write(n.subCategory());
    w.write('\t');
    w.write(n.title());
    w.write('\t');
    w.write(n.abstractText());
    w.write('\t');
    w.write(n.url());
    w.write('\t');
    w.write(entitiesJson(n.titleEntities()));
    w.write('\t');
    w.write(entitiesJson(n.abstractEntities()));
    w.write('\n');
  }

  /** MIND's entity JSON: Python json.dumps style, keys in MIND's order. */
  public static String entitiesJson(List<Entity> entities) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < entities.size(); i++) {
      Entity e = entities.get(i);
      if (i > 0) sb.append(", ");
      sb.append("{\"Label\": ").append(quote(e.label()))
          .append(", \"Type\": ").append(quote(e.type()))
          .append(", \"WikidataId\": ").append(quote(e.wikidataId()))
          .append(", \"Confidence\": ").append(e.confidence())
          .append(", \"OccurrenceOffsets\": ").append(e.occurrenceOffsets())
          .append(", \"SurfaceForms\": [");
      for (int j = 0; j < e.surfaceForms().size(); j++) {
        if (j > 0) sb.append(", ");
        sb.append(quote(e.surfaceForms().get(j)));
      }
      sb.append("]}");
    }
    return sb.append(']').toString();
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    return sb.append('"').toString();
  }

  /** Writes impressions as behaviors.tsv; unlabelled impressions get no -label suffix. */
  public static void writeBehaviors(Path file, Impressions imps) {
    AtomicFiles.writeText(file, w -> {
      StringBuilder sb = new StringBuilder(1024);
      for (int i = 0; i < imps.size(); i++) {
        sb.setLength(0);
        appendBehavior(sb, imps, i);
        w.append(sb);
      }
    });
  }

  /** Appends line i of imps, with its newline. */
  public static void appendBehavior(StringBuilder sb, Impressions imps, int i) {
    appendBehaviorHead(sb, imps.impressionId(i), imps.userId(i), imps.time(i));
    int[] h = imps.history(i);
    appendHistory(sb, h, h.length, imps.corpus()::id);
    sb.append('\t');
    for (int j = 0; j < imps.candidateCount(i); j++) {
      appendCandidate(sb, j, imps.corpus().id(imps.candidate(i, j)), imps.label(i, j));
    }
    sb.append('\n');
  }

  /**
   * Appends one behaviours line, with its newline, from arrays, for writers that stream
   * impressions without holding them: history[0, historyLength) and the first count candidates
   * and labels (labels null or {@link Impressions#NO_LABEL} for none), news ids through newsId.
   */
  public static void appendBehavior(StringBuilder sb, String impressionId, String userId,
      long time, int[] history, int historyLength, int[] candidates, byte[] labels, int count,
      IntFunction<String> newsId) {
    appendBehaviorHead(sb, impressionId, userId, time);
    appendHistory(sb, history, historyLength, newsId);
    sb.append('\t');
    for (int j = 0; j < count; j++) {
      appendCandidate(sb, j, newsId.apply(candidates[j]), labels == null ? Impressions.NO_LABEL : labels[j]);
    }
    sb.append('\n');
  }

  private static void appendBehaviorHead(StringBuilder sb, String impressionId, String userId,
      long time) {
    sb.append(impressionId).append('\t').append(userId).append('\t')
        .append(MindTime.format(time)).append('\t');
  }

  /** Space-separated news ids of history[0, length), as in the History column. */
  public static void appendHistory(StringBuilder sb, int[] history, int length,
      IntFunction<String> newsId) {
    for (int j = 0; j < length; j++) {
      if (j > 0) sb.append(' ');
      sb.append(newsId.apply(history[j]));
    }
  }

  private static void appendCandidate(StringBuilder sb, int j, String id, int label) {
    if (j > 0) sb.append(' ');
    sb.append(id);
    if (label != Impressions.NO_LABEL) sb.append('-').append(label);
  }

  /** Writes an entity_embedding.vec / relation_embedding.vec: id TAB v1 TAB ... TAB vD. */
  public static void writeVectors(Path file, Map<String, float[]> vectors) {
    AtomicFiles.writeText(file, w -> {
      StringBuilder sb = new StringBuilder();
      for (Map.Entry<String, float[]> e : vectors.entrySet()) {
        sb.setLength(0);
        sb.append(e.getKey());
        for (float v : e.getValue()) sb.append('\t').append(v);
        sb.append('\n');
        w.append(sb);
      }
    });
  }

  /**
   * Like {@link #writeVectors(Path, Map)} but with a fixed number of decimals (MIND's files have
   * six), formatted exactly, so the bytes do not depend on the JDK's float printing.
   */
  public static void writeVectors(Path file, Map<String, float[]> vectors, int decimals) {
    AtomicFiles.writeText(file, w -> {
      StringBuilder sb = new StringBuilder();
      for (Map.Entry<String, float[]> e : vectors.entrySet()) {
        sb.setLength(0);
        sb.append(e.getKey());
        for (float v : e.getValue()) appendFixed(sb.append('\t'), v, decimals);
        sb.append('\n');
        w.append(sb);
      }
    });
  }

  /** Appends x rounded half away from zero to the given decimals (at most 9), e.g. -0.063388. */
  public static void appendFixed(StringBuilder sb, double x, int decimals) {
    long scale = 1;
    for (int i = 0; i < decimals; i++) scale *= 10;
    long k = Math.round(Math.abs(x) * scale);
    if (x < 0 && k != 0) sb.append('-');
    sb.append(k / scale);
    if (decimals == 0) return;
    sb.append('.');
    String frac = Long.toString(k % scale);
    for (int i = frac.length(); i < decimals; i++) sb.append('0');
    sb.append(frac);
  }
}
