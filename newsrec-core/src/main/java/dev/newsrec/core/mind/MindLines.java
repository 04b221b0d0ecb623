package dev.newsrec.core.mind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.newsrec.core.data.Entity;
import dev.newsrec.core.data.News;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One line of news.tsv or behaviors.tsv, parsed on its own: the rules every reader shares (the
 * single-machine {@link MindReader} and the Spark reader), so both accept and reject the same
 * lines. What needs more than one line stays with the reader: ids repeated across lines, a file's
 * labelling (all lines labelled or none), and resolving ids against the news read.
 *
 * <p>Thread-safe: the parsers keep no state; a {@link Behavior} is reused by one thread at a time.
 */
public final class MindLines {
  public static final String[] NEWS_COLUMNS = {"NewsID", "Category", "SubCategory", "Title",
      "Abstract", "URL", "TitleEntities", "AbstractEntities"};
  public static final String[] BEHAVIOR_COLUMNS = {"ImpressionID", "UserID", "Time", "History",
      "Impressions"};
  private static final ObjectMapper JSON = new ObjectMapper();

  private MindLines() {}

  /** What is wrong with a line: the field (null for the whole line), its defect class, why. */
  public static final class Defect extends RuntimeException {
    private final String field;
    private final String defect;

    public Defect(String field, String problem) {
      this(field, field.equals("columns") ? ReadReport.COLUMN_COUNT : "bad " + field, problem);
    }

    public Defect(String field, String defect, String problem) {
      super(problem, null, false, false);
      this.field = field;
      this.defect = defect;
    }

    static Defect blank() { return new Defect(null, ReadReport.BLANK_LINE, "blank line"); }

    /** The column's name, "columns" for a wrong count, null for a blank line. */
    public String field() { return field; }

    /** The class it is counted under in lenient mode ({@link ReadReport} constants, "bad FIELD"). */
    public String defect() { return defect; }
  }

  /** Parses a news.tsv line; entities are read from their JSON columns. */
  public static News news(String line) {
    if (isBlank(line)) throw Defect.blank();
    int[] tabs = new int[NEWS_COLUMNS.length + 1];
    int n = splitTabs(line, tabs, NEWS_COLUMNS.length);
    if (n != NEWS_COLUMNS.length) {
      throw new Defect("columns", "expected " + NEWS_COLUMNS.length
          + " tab-separated columns (" + String.join(", ", NEWS_COLUMNS) + "), found " + n);
    }
    String id = col(line, tabs, 0);
    if (id.isEmpty()) throw new Defect("NewsID", "empty news id");
    return new News(id, col(line, tabs, 1), col(line, tabs, 2), col(line, tabs, 3),
        col(line, tabs, 4), col(line, tabs, 5), entities(col(line, tabs, 6), "TitleEntities"),
        entities(col(line, tabs, 7), "AbstractEntities"));
  }

  /**
   * One behaviors.tsv line, parsed in place: ids are ranges of the line (no string per id), so a
   * reader parsing millions of lines keeps nothing per line but what it stores.
   */
  public static final class Behavior {
    private String line;
    private final int[] tabs = new int[BEHAVIOR_COLUMNS.length + 1];
    private long time;
    private int[] history = new int[128]; // start, end pairs
    private int historyCount;
    private int[] candidates = new int[256]; // start, end pairs
    private byte[] labels = new byte[128];
    private int candidateCount;
    private boolean labelled;
    private final List<String> repeats = new ArrayList<>();
    private int[] table = new int[256]; // open addressing over candidate numbers + 1, per line

    public String line() { return line; }

    public String impressionId() { return col(line, tabs, 0); }

    public String userId() { return col(line, tabs, 1); }

    /** Seconds since 1970-01-01T00:00 of the local time written in the file. */
    public long time() { return time; }

    /** History entries, oldest first, as written (empty entries from double spaces skipped). */
    public int historyCount() { return historyCount; }

    public int historyStart(int i) { return history[2 * i]; }

    public int historyEnd(int i) { return history[2 * i + 1]; }

    public String historyId(int i) { return line.substring(history[2 * i], history[2 * i + 1]); }

    /** Candidates in file order, a repeated id kept once (lenient) or a defect (strict). */
    public int candidateCount() { return candidateCount; }

    public int candidateStart(int j) { return candidates[2 * j]; }

    public int candidateEnd(int j) { return candidates[2 * j + 1]; }

    public String candidateId(int j) {
      return line.substring(candidates[2 * j], candidates[2 * j + 1]);
    }

    /** 1 clicked, 0 not, {@link dev.newsrec.core.data.Impressions#NO_LABEL} without labels. */
    public byte label(int j) { return labels[j]; }

    /** True when the candidates carry -0/-1 labels (all of them: a mix is a defect). */
    public boolean labelled() { return labelled; }

    /** Lenient mode: the problem of each repeated candidate dropped from this line. */
    public List<String> repeats() { return repeats; }

    private void addHistory(int s, int e) {
      if (2 * historyCount + 1 >= history.length) history = Arrays.copyOf(history, history.length * 2);
      history[2 * historyCount] = s;
      history[2 * historyCount++ + 1] = e;
    }

    /** Adds a candidate unless the line already has it; returns false for a repeat. */
    private boolean addCandidate(int s, int e, byte label) {
      if (2 * candidateCount + 1 >= candidates.length) {
        candidates = Arrays.copyOf(candidates, candidates.length * 2);
      }
      if (candidateCount >= labels.length) labels = Arrays.copyOf(labels, labels.length * 2);
      if (2 * candidateCount >= table.length) {
        table = new int[table.length * 4];
        for (int j = 0; j < candidateCount; j++) insert(j, candidates[2 * j], candidates[2 * j + 1]);
      }
      int slot = find(s, e);
      if (table[slot] != 0) return false;
      candidates[2 * candidateCount] = s;
      candidates[2 * candidateCount + 1] = e;
      labels[candidateCount] = label;
      table[slot] = ++candidateCount;
      return true;
    }

    private void insert(int j, int s, int e) { table[find(s, e)] = j + 1; }

    /** The slot holding the candidate line[s, e), or the empty slot where it would go. */
    private int find(int s, int e) {
      int h = 0;
      for (int i = s; i < e; i++) h = 31 * h + line.charAt(i);
      int mask = table.length - 1;
      for (int slot = (h ^ (h >>> 16)) & mask; ; slot = (slot + 1) & mask) {
        int j = table[slot] - 1;
        if (j < 0) return slot;
        int cs = candidates[2 * j];
        int ce = candidates[2 * j + 1];
        if (ce - cs == e - s && line.regionMatches(cs, line, s, e - s)) return slot;
      }
    }

    private void reset(String l) {
      line = l;
      historyCount = 0;
      candidateCount = 0;
      repeats.clear();
      Arrays.fill(table, 0);
    }
  }

  /**
   * Parses a behaviors.tsv line into into. A repeated candidate is a defect, or with lenient its
   * repeat is dropped and named in {@link Behavior#repeats()}.
   */
  public static void behavior(String line, Behavior into, boolean lenient) {
    into.reset(line);
    if (isBlank(line)) throw Defect.blank();
    int[] tabs = into.tabs;
    int n = splitTabs(line, tabs, BEHAVIOR_COLUMNS.length);
    if (n != BEHAVIOR_COLUMNS.length) {
      throw new Defect("columns", "expected " + BEHAVIOR_COLUMNS.length
          + " tab-separated columns (" + String.join(", ", BEHAVIOR_COLUMNS) + "), found " + n);
    }
    if (tabs[1] <= 0) throw new Defect("ImpressionID", "empty impression id");
    if (tabs[2] - tabs[1] - 1 <= 0) throw new Defect("UserID", "empty user id");
    into.time = MindTime.parse(line, tabs[2] + 1, tabs[3]);
    if (into.time == Long.MIN_VALUE) {
      throw new Defect("Time", "expected a time like 11/15/2019 10:22:32 AM, found '"
          + col(line, tabs, 2) + "'");
    }
    // History: space separated ids, oldest first, may be empty.
    for (int s = tabs[3] + 1, e; s < tabs[4]; s = e + 1) {
      e = indexOf(line, ' ', s, tabs[4]);
      if (e > s) into.addHistory(s, e);
    }
    // Impressions: NewsID-label tokens, all labelled or none.
    Boolean lineLabelled = null;
    for (int s = tabs[4] + 1, e; s < tabs[5]; s = e + 1) {
      e = indexOf(line, ' ', s, tabs[5]);
      if (e == s) continue;
      int dash = lastIndexOf(line, '-', s, e);
      boolean hasLabel = dash > s && dash == e - 2;
      if (dash >= 0 && !hasLabel) {
        throw new Defect("Impressions", "expected NewsID-label with label 0 or 1, found '"
            + line.substring(s, e) + "'");
      }
      if (lineLabelled == null) lineLabelled = hasLabel;
      if (lineLabelled != hasLabel) {
        throw new Defect("Impressions", "some candidates have labels and some do not ('"
            + line.substring(s, e) + "')");
      }
      byte label = dev.newsrec.core.data.Impressions.NO_LABEL;
      int idEnd = e;
      if (hasLabel) {
        char l = line.charAt(e - 1);
        if (l != '0' && l != '1') {
          throw new Defect("Impressions", "label must be 0 or 1, found '"
              + line.substring(s, e) + "'");
        }
        label = (byte) (l - '0');
        idEnd = dash;
      }
      if (!into.addCandidate(s, idEnd, label)) {
        String problem = "candidate " + line.substring(s, idEnd)
            + " appears more than once in this impression";
        if (!lenient) throw new Defect("Impressions", ReadReport.DUPLICATE_CANDIDATE, problem);
        into.repeats.add(problem);
      }
    }
    if (into.candidateCount == 0) throw new Defect("Impressions", "no candidates");
    into.labelled = lineLabelled;
  }

  static List<Entity> entities(String json, String field) {
    if (json.isEmpty() || json.equals("[]")) return List.of();
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new Defect(field, "bad JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isArray()) throw new Defect(field, "expected a JSON list of entities");
    List<Entity> out = new ArrayList<>(root.size());
    for (JsonNode e : root) {
      if (!e.isObject()) throw new Defect(field, "expected entity objects in the JSON list");
      JsonNode id = e.get("WikidataId");
      if (id == null || !id.isTextual() || id.asText().isEmpty()) {
        throw new Defect(field, "entity without a WikidataId: " + e);
      }
      List<Integer> offsets = new ArrayList<>();
      JsonNode off = e.get("OccurrenceOffsets");
      if (off != null && off.isArray()) off.forEach(o -> offsets.add(o.asInt()));
      List<String> forms = new ArrayList<>();
      JsonNode sf = e.get("SurfaceForms");
      if (sf != null && sf.isArray()) sf.forEach(o -> forms.add(o.asText()));
      JsonNode conf = e.get("Confidence");
      out.add(new Entity(text(e, "Label"), text(e, "Type"), id.asText(),
          conf == null ? 0.0 : conf.asDouble(), offsets, forms));
    }
    return out;
  }

  private static String text(JsonNode e, String key) {
    JsonNode v = e.get(key);
    return v == null || v.isNull() ? "" : v.asText();
  }

  /** Only spaces (and a carriage return): an empty line, not a row with missing columns. */
  public static boolean isBlank(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c != ' ' && c != '\r') return false;
    }
    return true;
  }

  /**
   * Fills tabs with column boundaries: column i is line[tabs[i] + 1, tabs[i + 1]) with tabs[0] = -1.
   * Returns the column count (stops counting past max + 1). A trailing '\r' is ignored.
   */
  public static int splitTabs(String line, int[] tabs, int max) {
    int end = line.length();
    if (end > 0 && line.charAt(end - 1) == '\r') end--;
    tabs[0] = -1;
    int n = 0;
    int p = 0;
    while (true) {
      int t = indexOf(line, '\t', p, end);
      n++;
      if (n <= max) tabs[n] = t;
      if (t == end) return n;
      p = t + 1;
    }
  }

  public static String col(String line, int[] tabs, int i) {
    return line.substring(tabs[i] + 1, tabs[i + 1]);
  }

  public static int indexOf(String s, char c, int from, int to) {
    int i = s.indexOf(c, from);
    return i < 0 || i > to ? to : i;
  }

  private static int lastIndexOf(String s, char c, int from, int to) {
    for (int i = to - 1; i >= from; i--) if (s.charAt(i) == c) return i;
    return -1;
  }
}
