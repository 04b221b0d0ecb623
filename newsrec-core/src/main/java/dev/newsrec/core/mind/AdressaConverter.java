package dev.newsrec.core.mind;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.newsrec.core.UserException;
import dev.newsrec.core.data.DataFormatException;
import dev.newsrec.core.data.Entity;
import dev.newsrec.core.data.News;
import dev.newsrec.core.io.AtomicFiles;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Converts the raw Adressa one-week release (one file of JSON-lines events per day) to MIND's
 * format as the IP2 paper builds it (Sec. 5.1.1): the files' days in name order, all but the last
 * for training, the last for testing; every click becomes an impression of the clicked news and
 * {@code negatives} news the user never read in the whole week, drawn at random (seeded); the
 * history is the user's earlier clicks, the most recent {@code history} of them; users with fewer
 * than {@code minReads} distinct reads are dropped; titles are cut to {@code titleWords} words.
 *
 * <p>Entities come from the article's profile annotations (groups entity, person, location,
 * organization). Adressa has no Wikidata ids and no title offsets: an entity's id is {@code A}
 * followed by 16 hex digits of a 64-bit FNV-1a hash of its normalised name (NFKC, lower case,
 * white space collapsed), so the same name gets the same id in every news and every run; its
 * offset is the first case-insensitive occurrence of the name in the title, or none when the
 * title does not contain it.
 */
public final class AdressaConverter {
  /** Profile groups that name entities, in the order a type is chosen when several apply. */
  static final List<String> ENTITY_GROUPS = List.of("person", "organization", "location", "entity");

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param seed seeds the negative draw and the candidates' order
   * @param negatives non-clicked candidates per impression (20)
   * @param history clicks kept in a history, the most recent (50)
   * @param minReads users with fewer distinct reads are dropped (5)
   * @param titleWords words of a title kept (20)
   * @param lenient skip and count malformed lines instead of stopping at the first
   */
  public record Options(long seed, int negatives, int history, int minReads, int titleWords,
      boolean lenient) {
    public Options {
      if (negatives < 1) throw new UserException("--negatives must be at least 1, found " + negatives);
      if (history < 0) throw new UserException("--history must be at least 0, found " + history);
      if (minReads < 1) throw new UserException("--min-reads must be at least 1, found " + minReads);
      if (titleWords < 1) throw new UserException("--title-words must be at least 1, found " + titleWords);
    }

    public static Options defaults() {
      return new Options(42, 20, 50, 5, 20, false);
    }
  }

  /** What a conversion read, kept, skipped and wrote. */
  public record Summary(long events, long articleEvents, long withoutIdOrTitle, long malformed,
      List<String> malformedExamples, int news, int usersRead, int usersKept, long repeatedClicks,
      long trainImpressions, long devImpressions, long shortImpressions) {}

  private AdressaConverter() {}

  /** The day files of a raw folder: regular, non-hidden files in name order. */
  public static List<Path> dayFiles(Path raw) {
    if (!Files.isDirectory(raw)) throw new UserException(raw + ": not a folder of Adressa day files");
    try (Stream<Path> s = Files.list(raw)) {
      List<Path> files = s.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
      if (files.size() < 2) {
        throw new UserException(raw + ": found " + files.size() + " day file(s), need at least 2 "
            + "(the last day is the test split)");
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads every day file of raw and writes out/train and out/dev; nothing is left half-written. */
  public static Summary convert(Path raw, Path out, Options o, Consumer<String> progress) {
    List<Path> files = dayFiles(raw);
    State s = new State(o);
    for (int day = 0; day < files.size(); day++) s.read(files.get(day), day, progress);
    Summary[] summary = new Summary[1];
    AtomicFiles.writeFolder(out, tmp -> summary[0] = s.write(tmp, files.size() - 1, progress));
    return summary[0];
  }

  /** The 64-bit FNV-1a id of a normalised entity name. */
  static String entityId(String name) {
    long h = 0xcbf29ce484222325L;
    for (byte b : normalise(name).getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    return String.format(Locale.ROOT, "A%016x", h);
  }

  static String normalise(String name) {
    return Normalizer.normalize(name, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).trim()
        .replaceAll("\\s+", " ");
  }

  /** A title's first {@code words} words, on one line. */
  static String cutTitle(String title, int words) {
    String[] w = title.trim().split("\\s+");
    return String.join(" ", w.length <= words ? w : Arrays.copyOf(w, words));
  }

  /** One user's clicks, in reading order: times, news indices, days. */
  private static final class Clicks {
    int[] time = new int[8];
    int[] news = new int[8];
    byte[] day = new byte[8];
    int n;

    void add(int t, int item, int d) {
      if (n == time.length) {
        time = Arrays.copyOf(time, n * 2);
        news = Arrays.copyOf(news, n * 2);
        day = Arrays.copyOf(day, n * 2);
      }
      time[n] = t;
      news[n] = item;
      day[n] = (byte) d;
      n++;
    }
  }

  private static final class State {
    final Options o;
    final Map<String, Integer> newsIndex = new HashMap<>();
    final List<News> news = new ArrayList<>();
    final Map<String, Clicks> users = new LinkedHashMap<>();
    long events;
    long articleEvents;
    long withoutIdOrTitle;
    long malformed;
    final List<String> examples = new ArrayList<>();

    State(Options o) { this.o = o; }

    void read(Path file, int day, Consumer<String> progress) {
      long t0 = System.nanoTime();
      long lineNo = 0;
      try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        String line;
        while ((line = r.readLine()) != null) {
          lineNo++;
          if (line.isBlank()) continue;
          events++;
          try {
            event(line, day);
          } catch (DataFormatException e) {
            throw e;
          } catch (Bad b) {
            DataFormatException e = new DataFormatException(file, lineNo, b.field, b.getMessage());
            if (!o.lenient()) throw e;
            malformed++;
            if (examples.size() < 5) examples.add(e.getMessage());
          }
          if ((events & 0xfffff) == 0) {
            progress.accept(String.format(Locale.ROOT, "%s: %,d lines", file.getFileName(), lineNo));
          }
        }
      } catch (IOException e) {
        throw new UserException(file + ": cannot read: " + AtomicFiles.reason(e));
      }
      progress.accept(String.format(Locale.ROOT, "%s (day %d): %,d lines in %.1f s; %,d news, %,d users so far",
          file.getFileName(), day + 1, lineNo, (System.nanoTime() - t0) / 1e9, news.size(), users.size()));
    }

    void event(String line, int day) {
      JsonNode e;
      try {
        e = JSON.readTree(line);
      } catch (JsonProcessingException x) {
        throw new Bad(null, "not a JSON object: " + x.getOriginalMessage());
      }
      if (e == null || !e.isObject()) throw new Bad(null, "not a JSON object");
      String id = text(e, "id");
      String title = text(e, "title");
      if (id == null || id.isBlank() || title == null || title.isBlank()) {
        withoutIdOrTitle++; // page views of front pages and the like: not article reads
        return;
      }
      String user = text(e, "userId");
      if (user == null || user.isEmpty()) throw new Bad("userId", "missing in an article event");
      if (hasSpace(user)) throw new Bad("userId", "contains white space: '" + user + "'");
      if (hasSpace(id)) throw new Bad("id", "contains white space: '" + id + "'");
      JsonNode time = e.get("time");
      if (time == null || !time.canConvertToLong() || time.asLong() < 0 || time.asLong() > 0xffffffffL >>> 1) {
        throw new Bad("time", "expected epoch seconds, found " + time);
      }
      articleEvents++;
      Integer item = newsIndex.get(id);
      if (item == null) {
        item = news.size();
        newsIndex.put(id, item);
        news.add(news(e, id, title));
      }
      users.computeIfAbsent(user, k -> new Clicks()).add((int) time.asLong(), item, day);
    }

    News news(JsonNode e, String id, String rawTitle) {
      String title = cutTitle(rawTitle, o.titleWords());
      String cat = text(e, "category1");
      String category = "";
      String sub = "";
      if (cat != null && !cat.isBlank()) {
        int bar = cat.indexOf('|');
        category = clean(bar < 0 ? cat : cat.substring(0, bar));
        sub = bar < 0 ? "" : clean(cat.substring(bar + 1));
      }
      String url = text(e, "url");
      return new News(id, category, sub, title, "", url == null ? "" : clean(url), entities(e, title),
          List.of());
    }

    /** The profile's entity annotations, each name once, in profile order. */
    List<Entity> entities(JsonNode e, String title) {
      JsonNode profile = e.get("profile");
      if (profile == null || !profile.isArray()) return List.of();
      Map<String, Entity> out = new LinkedHashMap<>();
      String lowerTitle = title.toLowerCase(Locale.ROOT);
      for (JsonNode p : profile) {
        String item = text(p, "item");
        JsonNode groups = p.get("groups");
        if (item == null || item.isBlank() || groups == null || !groups.isArray()) continue;
        String type = null;
        double weight = 0;
        for (String g : ENTITY_GROUPS) {
          for (JsonNode grp : groups) {
            if (g.equals(text(grp, "group"))) {
              if (type == null) type = g;
              weight = Math.max(weight, grp.path("weight").asDouble(0));
            }
          }
        }
        if (type == null) continue;
        String name = clean(item);
        String key = entityId(name);
        if (out.containsKey(key)) continue;
        int at = lowerTitle.indexOf(name.toLowerCase(Locale.ROOT));
        out.put(key, new Entity(name, type, key, weight, at < 0 ? List.of() : List.of(at),
            List.of(name)));
      }
      return List.copyOf(out.values());
    }

    Summary write(Path dir, int testDay, Consumer<String> progress) throws IOException {
      Path train = Files.createDirectories(dir.resolve("train"));
      Path dev = Files.createDirectories(dir.resolve("dev"));
      MindWriter.writeNews(train.resolve(MindFolder.NEWS), news);
      MindWriter.writeNews(dev.resolve(MindFolder.NEWS), news);
      long[] counts = new long[4]; // train, dev, short impressions, repeated clicks
      int kept = 0;
      SplittableRandom userSeeds = new SplittableRandom(o.seed());
      try (BufferedWriter tw = Files.newBufferedWriter(train.resolve(MindFolder.BEHAVIORS), StandardCharsets.UTF_8);
          BufferedWriter dw = Files.newBufferedWriter(dev.resolve(MindFolder.BEHAVIORS), StandardCharsets.UTF_8)) {
        StringBuilder sb = new StringBuilder();
        boolean[] read = new boolean[news.size()];
        for (Map.Entry<String, Clicks> u : users.entrySet()) {
          long userSeed = userSeeds.nextLong(); // drawn for every user, kept or not
          int[] order = readingOrder(u.getValue(), counts);
          if (order.length < o.minReads()) continue;
          kept++;
          Clicks c = u.getValue();
          for (int k : order) read[c.news[k]] = true;
          // Seeded per user, so a user's impressions do not depend on the others.
          SplittableRandom rnd = new SplittableRandom(userSeed);
          int[] history = new int[order.length];
          for (int i = 0; i < order.length; i++) {
            int k = order[i];
            history[i] = c.news[k];
            int from = Math.max(0, i - o.history());
            int[] candidates = draw(rnd, read, news.size() - order.length, c.news[k], counts);
            byte[] labels = new byte[candidates.length];
            for (int j = 0; j < candidates.length; j++) labels[j] = (byte) (candidates[j] == c.news[k] ? 1 : 0);
            boolean test = c.day[k] == testDay;
            long id = test ? ++counts[1] : ++counts[0];
            sb.setLength(0);
            MindWriter.appendBehavior(sb, Long.toString(id), u.getKey(), Integer.toUnsignedLong(c.time[k]),
                Arrays.copyOfRange(history, from, i), i - from, candidates, labels, candidates.length,
                n -> news.get(n).id());
            (test ? dw : tw).append(sb);
          }
          for (int k : order) read[c.news[k]] = false;
        }
      }
      progress.accept(String.format(Locale.ROOT, "wrote %,d train and %,d dev impressions of %,d users",
          counts[0], counts[1], kept));
      return new Summary(events, articleEvents, withoutIdOrTitle, malformed, List.copyOf(examples),
          news.size(), users.size(), kept, counts[3], counts[0], counts[1], counts[2]);
    }

    /** Click indices by time (file order on ties), each news's first read only. */
    int[] readingOrder(Clicks c, long[] counts) {
      Integer[] idx = new Integer[c.n];
      for (int i = 0; i < c.n; i++) idx[i] = i;
      Arrays.sort(idx, (a, b) -> c.time[a] != c.time[b] ? Integer.compare(c.time[a], c.time[b])
          : Integer.compare(a, b));
      java.util.Set<Integer> seen = new java.util.HashSet<>();
      int[] out = new int[c.n];
      int m = 0;
      for (int i : idx) {
        if (seen.add(c.news[i])) out[m++] = i;
        else counts[3]++;
      }
      return Arrays.copyOf(out, m);
    }

    /** The clicked news and up to o.negatives() unread news, distinct, in a random order. */
    int[] draw(SplittableRandom rnd, boolean[] read, int unread, int clicked, long[] counts) {
      int k = Math.min(o.negatives(), unread);
      if (k < o.negatives()) counts[2]++;
      int[] out = new int[k + 1];
      out[0] = clicked;
      if (k == unread) {
        int m = 1;
        for (int n = 0; n < read.length; n++) if (!read[n]) out[m++] = n;
      } else {
        // Rejection sampling: the unread pool is almost the whole corpus for nearly every user.
        java.util.Set<Integer> chosen = new java.util.HashSet<>();
        int m = 1;
        while (m <= k) {
          int n = rnd.nextInt(read.length);
          if (!read[n] && chosen.add(n)) out[m++] = n;
        }
      }
      for (int i = out.length - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int t = out[i];
        out[i] = out[j];
        out[j] = t;
      }
      return out;
    }
  }

  private static String text(JsonNode e, String key) {
    JsonNode v = e.get(key);
    return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
  }

  private static boolean hasSpace(String s) {
    for (int i = 0; i < s.length(); i++) if (Character.isWhitespace(s.charAt(i))) return true;
    return false;
  }

  /** Tabs and line breaks would break MIND's columns. */
  private static String clean(String s) {
    return s.replaceAll("[\\t\\r\\n]+", " ").trim();
  }

  /** A malformed line: the field (null for the whole line) and what is wrong. */
  private static final class Bad extends RuntimeException {
    final String field;

    Bad(String field, String problem) {
      super(problem, null, false, false);
      this.field = field;
    }
  }
}
