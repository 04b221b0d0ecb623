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
    sb.append(imps.impressionId(i)).append('\t').append(imps.userId(i)).append('\t')
        .append(MindTime.format(imps.time(i))).append('\t');
    int[] h = imps.history(i);
    for (int j = 0; j < h.length; j++) {
      if (j > 0) sb.append(' ');
      sb.append(imps.corpus().id(h[j]));
    }
    sb.append('\t');
    for (int j = 0; j < imps.candidateCount(i); j++) {
      if (j > 0) sb.append(' ');
      sb.append(imps.corpus().id(imps.candidate(i, j)));
      int l = imps.label(i, j);
      if (l != Impressions.NO_LABEL) sb.append('-').append(l);
    }
    sb.append('\n');
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
}
