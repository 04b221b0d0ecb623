package dev.newsrec.core.synth;

import dev.newsrec.core.data.Entity;
import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.News;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.core.io.AtomicFiles;
import dev.newsrec.core.metrics.MetricsAccumulator;
import dev.newsrec.core.metrics.MetricsResult;
import dev.newsrec.core.mind.HistoriesFile;
import dev.newsrec.core.mind.MindWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A synthetic MIND: news with topical titles and entities, users with latent interests and click
 * histories, and impressions whose clicks are drawn from known probabilities, so that every model
 * can be compared with the best possible ranking (the oracle).
 *
 * <p>The hidden model. Each news has a topic (a MIND-like subcategory), a word facet and an entity
 * cluster of that topic, a quality q and a publication time. Its title mixes common words, words of
 * its topic (mostly of its facet) and the labels of 0-3 entities (mostly of its topic and cluster);
 * entity vectors are their cluster's centre plus noise, clusters lie near their topic's centre.
 * Each user likes 1-4 topics (weights), one facet of each liked topic's words and one or two of its
 * entity clusters. Shown news n at time t, user u clicks with probability
 * {@code p = sigmoid(A * (W_CAT * cat + W_CONTENT * ((1 - e) * words + e * entities))
 * + B_POP * (q - age / LIFE) + NOISE * eps(u, n) + b0)}, where cat is u's weight of n's topic
 * (a quarter for a sibling topic of a liked one), words the mean preference of u for the facets of
 * n's topical title words, entities the mean preference of u for the clusters of n's entities (both
 * preferences scaled by u's weight of the word's or entity's topic, so that the topics a history
 * shows most are the ones that drive clicks), e the entity weight knob, eps a fixed standard normal per (user, news) and b0 set so that an
 * impression has about 1.3 clicks on average. Labels are Bernoulli(p); an impression that drew no
 * click gets one click drawn in proportion to p, except 4% left all negative (as in MIND).
 * Histories are clicks on news of the two weeks before the logs, drawn from the same interests
 * (95% on liked topics, by weight, each the best of four news by the click model);
 * candidates are recent news (exponential age, more exposure for higher quality).
 *
 * <p>Every news, user and impression is a pure function of the seed and its index, so the files
 * are byte-identical for a seed; {@link #write(Path, Consumer)} streams the impressions to disk,
 * so MIND-large sizes need only the news and the users' histories in memory.
 */
public final class SyntheticWorld {
  /** 11/9/2019 00:00:00, where MIND's logs start; train is days 1-6, dev day 7. */
  static final long START = 1_573_257_600L;
  static final long DAY = 86_400L;
  static final int TRAIN_DAYS = 6;
  static final int HISTORY_DAYS = 14;
  static final int FACETS = 3;
  static final int CLUSTERS = 4;
  static final int MAX_TOPICS = 4;
  static final int DIM = 100;
  /** The file beside train/ and dev/ that says how the world was made. */
  public static final String DESCRIPTION_FILE = "synth.json";

  // The hidden click model; see the class comment. Popularity and per-(user, news) noise are kept
  // small: no content model can learn them, and with larger weights the oracle sat far above the
  // best any content model could reach (a content-only ranking with the true preferences closes
  // 93% of the random-to-oracle gap on small with these weights, 85% with 0.6 and 0.4). The same
  // ranking with the preferences estimated from the history's hidden labels closes 87% (seed 42;
  // 77% before preferences scaled with topic weights, A was 7 instead of 5 and small's histories
  // had 30 clicks instead of 20: the history then hid interests that drove clicks).
  static final double A = 7.0;
  static final double W_CAT = 0.6;
  static final double W_CONTENT = 2.5;
  static final double B_POP = 0.3;
  static final double LIFE_DAYS = 3.0;
  static final double NOISE = 0.2;
  static final double CLICKS_PER_IMPRESSION = 1.3;
  static final double ALL_NEGATIVE = 0.04;
  /** Share of history clicks on the user's liked topics (the rest: any topic). */
  static final double ON_INTEREST = 0.95;
  static final double EMPTY_HISTORY = 0.03;
  /** Share of news published in the two weeks before the logs (only seen in histories). */
  static final double HISTORY_NEWS = 0.4;
  static final double TOPICAL_WORDS = 0.55;
  static final double ON_FACET = 0.75;
  static final double ON_CLUSTER = 0.75;

  static final int S_NEWS = 1;
  static final int S_ENTITY = 2;
  static final int S_USER = 3;
  static final int S_HISTORY = 4;
  static final int S_TRAIN = 5;
  static final int S_DEV = 6;
  static final int S_NOISE = 7;
  static final int S_PILOT = 8;
  static final int S_CENTRE = 9;
  static final int S_VECTOR = 10;
  static final int S_RELATION = 11;
  private final SynthConfig config;
  private final long seed;
  private final Vocabulary vocab;
  private final int topics;
  private final double[] topicCdf;
  private final int[][] siblings;

  // News, by index: the history-only ones first, then the ones published during the logs.
  private final int newsCount;
  private final int preCount;
  private final long[] publish;
  private final byte[] topic;
  private final float[] quality;
  private final int[] wordStart;
  private final short[] wordCode;
  private final int[] entityStart;
  private final int[] entities;
  private final SyntheticEntities entityCatalogue;
  private final int[][] preByTopic;
  private final double exposureDays;

  // Users.
  private final int userCount;
  private final BitSet unlabelled = new BitSet();
  private final int[] labelledUsers;
  private final double[] activityCdf;
  private final int[] historyStart;
  private final int[] historyNews;
  private final double b0;

  private NewsCorpus corpus;
  private SyntheticSplit train;
  private SyntheticSplit dev;

  private SyntheticWorld(SynthConfig config, Consumer<String> progress) {
    this.config = config;
    this.seed = config.seed();
    this.vocab = Vocabulary.load(FACETS);
    this.topics = vocab.topics();
    topicCdf = new double[topics];
    double acc = 0;
    for (int t = 0; t < topics; t++) topicCdf[t] = acc += vocab.topicShare[t];
    siblings = new int[topics][];
    for (int t = 0; t < topics; t++) {
      List<Integer> s = new ArrayList<>();
      for (int o = 0; o < topics; o++) {
        if (o != t && vocab.category[o].equals(vocab.category[t])) s.add(o);
      }
      siblings[t] = s.stream().mapToInt(Integer::intValue).toArray();
    }

    newsCount = config.news();
    preCount = (int) Math.round(newsCount * HISTORY_NEWS);
    entityCatalogue = new SyntheticEntities(seed, topics, Math.max(topics * CLUSTERS * 4, newsCount / 3));
    publish = new long[newsCount];
    topic = new byte[newsCount];
    quality = new float[newsCount];
    wordStart = new int[newsCount + 1];
    entityStart = new int[newsCount + 1];
    short[] codes = new short[newsCount * 8];
    int[] ents = new int[newsCount * 2];
    for (int n = 0; n < newsCount; n++) {
      NewsDraft d = draft(n, false);
      publish[n] = d.publish;
      topic[n] = (byte) d.topic;
      quality[n] = d.quality;
      if (wordStart[n] + d.wordCodes.length > codes.length) {
        codes = Arrays.copyOf(codes, Math.max(codes.length * 2, wordStart[n] + d.wordCodes.length));
      }
      System.arraycopy(d.wordCodes, 0, codes, wordStart[n], d.wordCodes.length);
      wordStart[n + 1] = wordStart[n] + d.wordCodes.length;
      if (entityStart[n] + d.entities.length > ents.length) {
        ents = Arrays.copyOf(ents, Math.max(ents.length * 2, entityStart[n] + d.entities.length));
      }
      System.arraycopy(d.entities, 0, ents, entityStart[n], d.entities.length);
      entityStart[n + 1] = entityStart[n] + d.entities.length;
    }
    wordCode = Arrays.copyOf(codes, wordStart[newsCount]);
    entities = Arrays.copyOf(ents, entityStart[newsCount]);
    int[] perTopic = new int[topics];
    for (int n = 0; n < preCount; n++) perTopic[topic[n]]++;
    preByTopic = new int[topics][];
    for (int t = 0; t < topics; t++) preByTopic[t] = new int[perTopic[t]];
    Arrays.fill(perTopic, 0);
    for (int n = 0; n < preCount; n++) preByTopic[topic[n]][perTopic[topic[n]]++] = n;
    // Candidates come from the last few hours' news; small worlds look further back.
    double livePerDay = (newsCount - preCount) / (TRAIN_DAYS + 2.0);
    exposureDays = Math.max(0.3, 4 * config.candidates() / livePerDay);

    userCount = config.users();
    historyStart = new int[userCount + 1];
    int[] hist = new int[(int) Math.min(Integer.MAX_VALUE - 8,
        Math.max(16, (long) (userCount * Math.max(1, config.historyLength()) * 1.2)))];
    double[] activity = new double[userCount];
    int labelled = 0;
    long began = System.nanoTime();
    long lastReport = began;
    for (int u = 0; u < userCount; u++) {
      if ((u & 16383) == 16383 && System.nanoTime() - lastReport > 5_000_000_000L) {
        lastReport = System.nanoTime();
        progress.accept(String.format("users: %,d / %,d histories drawn (%.0f%%), %.0f s", u,
            userCount, 100.0 * u / userCount, (lastReport - began) / 1e9));
      }
      User user = user(u);
      if (user.unlabelled) unlabelled.set(u);
      else activity[labelled++] = user.activity;
      int[] h = drawHistory(u, user);
      if (historyStart[u] + h.length > hist.length) {
        hist = Arrays.copyOf(hist, (int) Math.min(Integer.MAX_VALUE - 8,
            Math.max((long) hist.length * 3 / 2, historyStart[u] + h.length)));
      }
      System.arraycopy(h, 0, hist, historyStart[u], h.length);
      historyStart[u + 1] = historyStart[u] + h.length;
    }
    historyNews = Arrays.copyOf(hist, historyStart[userCount]);
    if (labelled == 0) {
      throw new dev.newsrec.core.UserException("no user has impressions: lower --unlabelled-users");
    }
    labelledUsers = new int[labelled];
    activityCdf = new double[labelled];
    acc = 0;
    for (int u = 0, k = 0; u < userCount; u++) {
      if (unlabelled.get(u)) continue;
      labelledUsers[k] = u;
      activityCdf[k] = acc += activity[k];
      k++;
    }
    b0 = calibrateBias();
  }

  /** Builds the world's news and users (impressions are drawn when asked for or written). */
  public static SyntheticWorld generate(SynthConfig config) {
    return new SyntheticWorld(config, line -> {});
  }

  /** As {@link #generate(SynthConfig)}, with a progress line every few seconds. */
  public static SyntheticWorld generate(SynthConfig config, Consumer<String> progress) {
    return new SyntheticWorld(config, progress);
  }

  public SynthConfig config() { return config; }

  // ---------------------------------------------------------------- news

  /** One news: its row and the latent codes the click model reads. */
  private static final class NewsDraft {
    long publish;
    int topic;
    float quality;
    short[] wordCodes;
    int[] entities;
    News news;
  }

  /** News n from its own random stream; with text, also its news.tsv row. */
  private NewsDraft draft(int n, boolean text) {
    Rng r = Rng.of(seed, S_NEWS, n);
    NewsDraft d = new NewsDraft();
    double u = r.nextDouble();
    if (n < preCount) {
      d.publish = START - HISTORY_DAYS * DAY
          + (long) ((n + u) / preCount * (HISTORY_DAYS - 1) * DAY);
    } else {
      d.publish = START - DAY + (long) ((n - preCount + u) / (newsCount - preCount) * (TRAIN_DAYS + 2) * DAY);
    }
    int t = sampleTopic(r);
    int facet = r.nextInt(FACETS);
    int cluster = r.nextInt(CLUSTERS);
    d.topic = t;
    d.quality = (float) r.gaussian();
    double mean = config.titleLength();
    int length = (int) Math.max(3, Math.min(Math.ceil(2.5 * mean),
        Math.round(mean + 0.3 * mean * r.gaussian())));
    double x = r.nextDouble();
    int entityWanted = Math.min(length / 3, x < 0.25 ? 0 : x < 0.65 ? 1 : x < 0.9 ? 2 : 3);
    int[] ents = new int[entityWanted];
    int ne = 0;
    for (int k = 0; k < entityWanted; k++) {
      int et = r.chance(0.9) ? t : sampleTopic(r);
      int ec = r.chance(ON_CLUSTER) ? cluster : r.nextInt(CLUSTERS);
      int e = entityCatalogue.draw(et, ec, r);
      boolean dup = false;
      for (int j = 0; j < ne; j++) dup |= ents[j] == e;
      if (!dup) ents[ne++] = e;
    }
    d.entities = Arrays.copyOf(ents, ne);
    // Pieces of the title: words (String) and entity positions (Integer into d.entities).
    List<Object> pieces = new ArrayList<>();
    int entityWords = 0;
    String[] labels = new String[ne];
    for (int k = 0; k < ne; k++) {
      labels[k] = entityCatalogue.label(d.entities[k]);
      entityWords += labels[k].split(" ").length;
      pieces.add(k);
    }
    int words = Math.max(2, length - entityWords);
    short[] codes = new short[words];
    int nc = 0;
    java.util.Set<String> used = new java.util.HashSet<>();
    for (int k = 0; k < words; k++) {
      if (r.chance(TOPICAL_WORDS)) {
        int wt = r.chance(0.9) || siblings[t].length == 0 ? t : siblings[t][r.nextInt(siblings[t].length)];
        int wf = r.chance(ON_FACET) ? facet : r.nextInt(FACETS);
        pieces.add(pick(vocab.words[wt][wf], used, r));
        codes[nc++] = (short) (wt * FACETS + wf);
      } else {
        pieces.add(pick(vocab.common, used, r));
      }
    }
    d.wordCodes = Arrays.copyOf(codes, nc);
    for (int k = pieces.size() - 1; k > 0; k--) {
      int j = r.nextInt(k + 1);
      Object tmp = pieces.get(k);
      pieces.set(k, pieces.get(j));
      pieces.set(j, tmp);
    }
    double[] confidence = new double[ne];
    for (int k = 0; k < ne; k++) confidence[k] = Math.round(700 + 300 * r.nextDouble()) / 1000.0;
    String[] abstractWords = null;
    int abstractEntityAt = -1;
    if (config.abstracts()) {
      int al = (int) Math.max(5, Math.round(2.2 * length * (1 + 0.3 * r.gaussian())));
      abstractWords = new String[al];
      for (int k = 0; k < al; k++) {
        if (r.chance(0.5)) {
          String[] list = vocab.words[t][r.chance(ON_FACET) ? facet : r.nextInt(FACETS)];
          abstractWords[k] = list[r.nextInt(list.length)];
        } else {
          abstractWords[k] = vocab.common[r.nextInt(vocab.common.length)];
        }
      }
      if (ne > 0) abstractEntityAt = r.nextInt(al);
    }
    if (!text) return d;

    StringBuilder title = new StringBuilder();
    int[] offsets = new int[ne];
    for (Object p : pieces) {
      if (title.length() > 0) title.append(' ');
      if (p instanceof Integer k) {
        offsets[k] = title.length();
        title.append(labels[k]);
      } else {
        title.append(title.length() == 0 ? capitalise((String) p) : (String) p);
      }
    }
    List<Entity> titleEntities = new ArrayList<>(ne);
    for (int k = 0; k < ne; k++) {
      titleEntities.add(new Entity(labels[k], entityCatalogue.type(d.entities[k]),
          SyntheticEntities.wikidataId(d.entities[k]),
          confidence[k], List.of(offsets[k]), List.of(labels[k])));
    }
    String abstractText = "";
    List<Entity> abstractEntities = List.of();
    if (abstractWords != null) {
      StringBuilder a = new StringBuilder();
      for (int k = 0; k < abstractWords.length; k++) {
        if (k > 0) a.append(' ');
        if (k == abstractEntityAt) {
          abstractEntities = List.of(new Entity(labels[0], entityCatalogue.type(d.entities[0]),
              SyntheticEntities.wikidataId(d.entities[0]), confidence[0], List.of(a.length()), List.of(labels[0])));
          a.append(labels[0]).append(' ');
        }
        a.append(k == 0 && k != abstractEntityAt ? capitalise(abstractWords[k]) : abstractWords[k]);
      }
      abstractText = a.append('.').toString();
    }
    String id = newsId(n);
    d.news = new News(id, vocab.category[t], vocab.subCategory[t], title.toString(), abstractText,
        "https://news.example.com/" + vocab.category[t] + "/" + vocab.subCategory[t] + "/"
            + id.toLowerCase(java.util.Locale.ROOT) + ".html",
        titleEntities, abstractEntities);
    return d;
  }

  /** A word of list, avoiding (in a few tries) the words the title already has. */
  private static String pick(String[] list, java.util.Set<String> used, Rng r) {
    String w = list[r.nextInt(list.length)];
    for (int tries = 0; tries < 3 && used.contains(w); tries++) w = list[r.nextInt(list.length)];
    used.add(w);
    return w;
  }

  private static String capitalise(String w) {
    return Character.toUpperCase(w.charAt(0)) + w.substring(1);
  }

  private int sampleTopic(Rng r) {
    double x = r.nextDouble();
    for (int t = 0; t < topics - 1; t++) if (x < topicCdf[t]) return t;
    return topics - 1;
  }

  static String newsId(int n) { return "N" + (n + 1); }

  static String userId(int u) { return "U" + (u + 1); }

  // ---------------------------------------------------------------- users

  /** A user's latent interests, rebuilt from the user's own stream whenever needed. */
  private final class User {
    final boolean unlabelled;
    final double activity;
    final int historyLength;
    final int[] liked = new int[MAX_TOPICS];
    final double[] weight = new double[MAX_TOPICS];
    final double[][] facetPref = new double[MAX_TOPICS][FACETS];
    final double[][] clusterPref = new double[MAX_TOPICS][CLUSTERS];
    int count;

    User(int u) {
      Rng r = Rng.of(seed, S_USER, u);
      unlabelled = r.chance(config.unlabelledUsers());
      activity = StrictMath.exp(r.gaussian());
      historyLength = r.chance(EMPTY_HISTORY) || config.historyLength() == 0 ? 0
          : r.longTail(config.historyLength(), 0.9, 1, (int) Math.ceil(10 * config.historyLength()));
      double x = r.nextDouble();
      int wanted = x < 0.25 ? 1 : x < 0.65 ? 2 : x < 0.9 ? 3 : 4;
      double max = 0;
      for (int tries = 0; count < wanted && tries < 20; tries++) {
        int t = sampleTopic(r);
        if (indexOf(t) >= 0) continue;
        liked[count] = t;
        weight[count] = r.gamma(1.0);
        max = Math.max(max, weight[count]);
        int fav = r.nextInt(FACETS);
        for (int f = 0; f < FACETS; f++) facetPref[count][f] = f == fav ? 1.0 : 0.1 * r.nextDouble();
        int c1 = r.nextInt(CLUSTERS);
        int c2 = r.chance(0.4) ? r.nextInt(CLUSTERS) : c1;
        for (int c = 0; c < CLUSTERS; c++) clusterPref[count][c] = c == c1 || c == c2 ? 1.0 : 0.0;
        count++;
      }
      for (int k = 0; k < count; k++) weight[k] /= max;
    }

    int indexOf(int t) {
      for (int k = 0; k < count; k++) if (liked[k] == t) return k;
      return -1;
    }

    int sampleLikedTopic(Rng r) {
      double total = 0;
      for (int k = 0; k < count; k++) total += weight[k];
      double x = r.nextDouble() * total;
      for (int k = 0; k < count - 1; k++) if ((x -= weight[k]) < 0) return liked[k];
      return liked[count - 1];
    }
  }

  private User user(int u) { return new User(u); }

  /** The user-dependent part of the click logit: category affinity, title words, entities. */
  private double content(User user, int n) {
    int t = topic[n];
    int k = user.indexOf(t);
    double cat = k >= 0 ? user.weight[k] : 0;
    if (k < 0) {
      for (int s : siblings[t]) if (user.indexOf(s) >= 0) cat = 0.25;
    }
    double words = 0;
    int nw = wordStart[n + 1] - wordStart[n];
    for (int j = wordStart[n]; j < wordStart[n + 1]; j++) {
      int code = wordCode[j];
      int kk = user.indexOf(code / FACETS);
      if (kk >= 0) words += user.weight[kk] * user.facetPref[kk][code % FACETS];
    }
    words /= Math.max(1, nw);
    double ents = 0;
    int ne = entityStart[n + 1] - entityStart[n];
    for (int j = entityStart[n]; j < entityStart[n + 1]; j++) {
      int e = entities[j];
      int kk = user.indexOf(entityCatalogue.topic(e));
      if (kk >= 0) ents += user.weight[kk] * user.clusterPref[kk][SyntheticEntities.cluster(e)];
    }
    ents /= Math.max(1, ne);
    double ew = config.entityWeight();
    return W_CAT * cat + W_CONTENT * ((1 - ew) * words + ew * ents);
  }

  /** News n's hidden topic (for calibration probes). */
  int topicOf(int n) { return topic[n]; }

  /** The topics of news n's topic's siblings (for calibration probes). */
  int[] siblingsOf(int n) { return siblings[topic[n]]; }

  /** The hidden (topic * FACETS + facet) code of each topical word of news n's title. */
  short[] wordCodesOf(int n) { return Arrays.copyOfRange(wordCode, wordStart[n], wordStart[n + 1]); }

  /** The (topic * CLUSTERS + cluster) code of each of news n's entities. */
  int[] entityCodesOf(int n) {
    int[] out = new int[entityStart[n + 1] - entityStart[n]];
    for (int j = 0; j < out.length; j++) {
      int e = entities[entityStart[n] + j];
      out[j] = entityCatalogue.topic(e) * CLUSTERS + SyntheticEntities.cluster(e);
    }
    return out;
  }

  /** The number of hidden topics. */
  int topicCount() { return topics; }

  /** The user-dependent part of the click logit for a user id of this world (for tests). */
  double contentScore(String userId, int news) {
    return content(user(Integer.parseInt(userId.substring(1)) - 1), news);
  }

  private double noise(int u, int n) {
    return Rng.of(seed, S_NOISE, ((long) u << 32) | n).gaussian();
  }

  private double popularity(int n, long time) {
    double ageDays = Math.max(0, time - publish[n]) / (double) DAY;
    return quality[n] - ageDays / LIFE_DAYS;
  }

  /** The click logit without the global bias b0. */
  private double logit(int u, User user, int n, long time) {
    return A * content(user, n) + B_POP * popularity(n, time) + NOISE * noise(u, n);
  }

  private static double sigmoid(double z) { return 1 / (1 + StrictMath.exp(-z)); }

  /** Clicks before the logs: news of the user's topics, the best of four by the click model. */
  private int[] drawHistory(int u, User user) {
    if (user.historyLength == 0 || preCount == 0) return new int[0];
    Rng r = Rng.of(seed, S_HISTORY, u);
    int[] h = new int[user.historyLength];
    int size = 0;
    for (int k = 0; k < user.historyLength; k++) {
      for (int attempt = 0; attempt < 6; attempt++) {
        // Liked topics first; when their news are used up (small worlds), any topic.
        boolean liked = user.count > 0 && attempt < 3 && r.chance(ON_INTEREST);
        int t = liked ? user.sampleLikedTopic(r) : sampleTopic(r);
        int[] pool = preByTopic[t];
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < 4; j++) {
          int n = pool.length > 0 ? pool[r.nextInt(pool.length)] : r.nextInt(preCount);
          double s = logit(u, user, n, publish[n]);
          if (s > bestScore) {
            bestScore = s;
            best = n;
          }
        }
        boolean dup = false;
        for (int j = 0; j < size && !dup; j++) dup = h[j] == best;
        if (!dup) {
          h[size++] = best;
          break;
        }
      }
    }
    int[] out = Arrays.copyOf(h, size);
    // Oldest first: news indices of history news grow with publication time.
    Arrays.sort(out);
    return out;
  }

  /** Sets b0 so that the mean click probability of a shown news gives the wanted clicks. */
  private double calibrateBias() {
    Rng r = Rng.of(seed, S_PILOT, 0);
    int samples = 4000;
    double[] z = new double[samples];
    for (int s = 0; s < samples; s++) {
      int u = labelledUsers[r.nextInt(labelledUsers.length)];
      long time = START + (long) (r.nextDouble() * TRAIN_DAYS * DAY);
      int n = sampleShown(r, time);
      z[s] = logit(u, user(u), n, time);
    }
    double target = Math.min(0.5, CLICKS_PER_IMPRESSION / config.candidates());
    double lo = -30;
    double hi = 30;
    for (int it = 0; it < 60; it++) {
      double mid = (lo + hi) / 2;
      double mean = 0;
      for (double v : z) mean += sigmoid(v + mid);
      if (mean / samples < target) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  }

  // ---------------------------------------------------------------- impressions

  /** A recent news shown at time: exponential age, exposure growing with quality. */
  private int sampleShown(Rng r, long time) {
    int live = newsCount - preCount;
    for (int attempt = 0; attempt < 64; attempt++) {
      long at = time - (long) (r.exponential(exposureDays) * DAY);
      int j = latestPublishedBy(at);
      if (j < 0) continue;
      if (!r.chance(0.25 + 0.75 * sigmoid(quality[j]))) continue;
      return j;
    }
    int j = latestPublishedBy(time);
    return j >= 0 ? j : preCount + r.nextInt(live);
  }

  /** The last news of the logs' period published at or before time, or -1. */
  private int latestPublishedBy(long time) {
    int lo = preCount;
    int hi = newsCount;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (publish[mid] <= time) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1 >= preCount ? lo - 1 : -1;
  }

  /** One impression, drawn into reusable buffers. */
  static final class Draw {
    int user;
    long time;
    int count;
    int[] candidates = new int[512];
    double[] p = new double[512];
    byte[] labels = new byte[512];
  }

  private void impression(boolean isTrain, int i, Draw d) {
    Rng r = Rng.of(seed, isTrain ? S_TRAIN : S_DEV, i);
    double x = r.nextDouble() * activityCdf[activityCdf.length - 1];
    int k = Arrays.binarySearch(activityCdf, x);
    if (k < 0) k = -k - 1;
    int u = labelledUsers[Math.min(k, labelledUsers.length - 1)];
    int labelled = labelledUsers.length;
    if (isTrain && i < labelled && config.trainImpressions() >= labelled) {
      // As in MIND, every user with impressions has one in train: the first ones visit all users
      // once, in an order scrambled by a prime stride; the rest follow the users' activity.
      long stride = labelled % 1_000_003 == 0 ? 999_983 : 1_000_003;
      u = labelledUsers[(int) (i * stride % labelled)];
    }
    User user = user(u);
    long time = isTrain ? START + (long) (r.nextDouble() * TRAIN_DAYS * DAY)
        : START + TRAIN_DAYS * DAY + (long) (r.nextDouble() * DAY);
    int wanted = r.longTail(config.candidates(), 0.7, 2, 300);
    int c = 0;
    for (int attempt = 0; c < wanted && attempt < 30 * wanted; attempt++) {
      int n = sampleShown(r, time);
      boolean dup = false;
      for (int j = 0; j < c && !dup; j++) dup = d.candidates[j] == n;
      if (!dup) d.candidates[c++] = n;
    }
    if (c < 2) {
      // A world too small for distinct recent news: fall back to any news of the logs.
      while (c < 2) {
        int n = preCount + r.nextInt(newsCount - preCount);
        if (c == 0 || d.candidates[0] != n) d.candidates[c++] = n;
      }
    }
    d.user = u;
    d.time = time;
    d.count = c;
    int clicks = 0;
    double total = 0;
    for (int j = 0; j < c; j++) {
      double p = sigmoid(logit(u, user, d.candidates[j], time) + b0);
      p = Math.round(p * 1e6) / 1e6;
      d.p[j] = p;
      total += p;
      d.labels[j] = (byte) (r.nextDouble() < p ? 1 : 0);
      clicks += d.labels[j];
    }
    if (clicks == 0 && !r.chance(ALL_NEGATIVE)) {
      int pick = c - 1;
      double y = r.nextDouble() * total;
      for (int j = 0; j < c - 1; j++) {
        if ((y -= d.p[j]) < 0) {
          pick = j;
          break;
        }
      }
      if (total == 0) pick = r.nextInt(c);
      d.labels[pick] = 1;
    }
  }

  private int historyLength(int u) { return historyStart[u + 1] - historyStart[u]; }

  private int[] history(int u) { return Arrays.copyOfRange(historyNews, historyStart[u], historyStart[u + 1]); }

  // ---------------------------------------------------------------- in memory

  /** All news of the world; a news' corpus index is its index in the world. */
  public synchronized NewsCorpus corpus() {
    if (corpus == null) {
      NewsCorpus c = new NewsCorpus();
      for (int n = 0; n < newsCount; n++) c.add(draft(n, true).news);
      corpus = c;
    }
    return corpus;
  }

  /**
   * The train impressions (days 1-6) with their oracle probabilities, drawn and kept in memory
   * (for tests and the small presets; {@link #write(Path)} streams any size to disk).
   */
  public synchronized SyntheticSplit train() {
    if (train == null) train = split(true);
    return train;
  }

  /** The dev impressions (day 7) with their oracle probabilities, drawn in memory. */
  public synchronized SyntheticSplit dev() {
    if (dev == null) dev = split(false);
    return dev;
  }

  private SyntheticSplit split(boolean isTrain) {
    Impressions.Builder b = Impressions.builder(corpus());
    int size = isTrain ? config.trainImpressions() : config.devImpressions();
    double[] oracle = new double[1024];
    int at = 0;
    Draw d = new Draw();
    for (int i = 0; i < size; i++) {
      impression(isTrain, i, d);
      b.add(Integer.toString(i + 1), userId(d.user), d.time, history(d.user),
          Arrays.copyOf(d.candidates, d.count), Arrays.copyOf(d.labels, d.count));
      if (at + d.count > oracle.length) oracle = Arrays.copyOf(oracle, Math.max(oracle.length * 2, at + d.count));
      System.arraycopy(d.p, 0, oracle, at, d.count);
      at += d.count;
    }
    return new SyntheticSplit(isTrain ? "train" : "dev", b.build(), Arrays.copyOf(oracle, at));
  }

  /** Users with a history and no impressions (non-empty histories only), as corpus indices. */
  public HistoriesFile.Histories unlabelledHistories() {
    List<String> ids = new ArrayList<>();
    List<int[]> hs = new ArrayList<>();
    for (int u = unlabelled.nextSetBit(0); u >= 0; u = unlabelled.nextSetBit(u + 1)) {
      if (historyLength(u) == 0) continue;
      ids.add(userId(u));
      hs.add(history(u));
    }
    return new HistoriesFile.Histories(ids, hs);
  }

  /** Every entity's vector by WikidataId, as entity_embedding.vec writes them (for tests). */
  public Map<String, float[]> entityVectors() {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (int e = 0; e < entityCatalogue.size(); e++) {
      out.put(SyntheticEntities.wikidataId(e), entityCatalogue.vector(e));
    }
    return out;
  }

  // ---------------------------------------------------------------- files

  /** What one split folder holds. */
  public record SplitSummary(String name, int news, int users, int impressions, long candidates,
      long clicks, long historyClicks, int allNegative, int unlabelledUsers, MetricsResult oracle) {}

  /**
   * Writes {@code dir/train} and {@code dir/dev} in MIND's format plus oracle.tsv (and
   * train/histories.tsv when there are unlabelled users), streaming the impressions, and
   * {@code dir/synth.json} ({@link #description()}). The folder
   * appears whole or not at all; an existing one is replaced.
   */
  public List<SplitSummary> write(Path dir) {
    return write(dir, line -> {});
  }

  /** As {@link #write(Path)}, with a progress line every few seconds. */
  public List<SplitSummary> write(Path dir, Consumer<String> progress) {
    List<SplitSummary> out = new ArrayList<>();
    AtomicFiles.writeFolder(dir, tmp -> {
      out.add(writeSplit(tmp.resolve("train"), true, progress));
      out.add(writeSplit(tmp.resolve("dev"), false, progress));
      Files.writeString(tmp.resolve(DESCRIPTION_FILE), description(), StandardCharsets.UTF_8);
    });
    return out;
  }

  /** What made this world: the configuration and the hidden model's constants, as JSON. */
  public String description() {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("sharpness", A);
    model.put("categoryWeight", W_CAT);
    model.put("contentWeight", W_CONTENT);
    model.put("popularityWeight", B_POP);
    model.put("lifeDays", LIFE_DAYS);
    model.put("noise", NOISE);
    model.put("bias", b0);
    model.put("clicksPerImpressionTarget", CLICKS_PER_IMPRESSION);
    model.put("allNegativeShare", ALL_NEGATIVE);
    model.put("emptyHistoryShare", EMPTY_HISTORY);
    model.put("exposureDays", exposureDays);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("generator", "newsrec data synth");
    root.put("config", config);
    root.put("model", model);
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper()
          .writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private SplitSummary writeSplit(Path folder, boolean isTrain, Consumer<String> progress)
      throws IOException {
    Files.createDirectories(folder);
    String name = isTrain ? "train" : "dev";
    int size = isTrain ? config.trainImpressions() : config.devImpressions();
    BitSet newsUsed = new BitSet(newsCount);
    BitSet usersSeen = new BitSet(userCount);
    long candidates = 0;
    long clicks = 0;
    long historyClicks = 0;
    int allNegative = 0;
    MetricsAccumulator oracleMetrics = new MetricsAccumulator();
    long began = System.nanoTime();
    long lastReport = began;
    Draw d = new Draw();
    StringBuilder line = new StringBuilder(4096);
    StringBuilder oracleLine = new StringBuilder(2048);
    try (Writer behaviours = writer(folder.resolve("behaviors.tsv"));
        Writer oracle = writer(folder.resolve(OracleFile.FILE_NAME))) {
      for (int i = 0; i < size; i++) {
        impression(isTrain, i, d);
        String impressionId = Integer.toString(i + 1);
        int u = d.user;
        line.setLength(0);
        appendBehaviour(line, impressionId, u, d);
        behaviours.append(line);
        oracleLine.setLength(0);
        OracleFile.appendLine(oracleLine, impressionId, d.p, d.count);
        oracle.append(oracleLine);
        if (!usersSeen.get(u)) {
          usersSeen.set(u);
          historyClicks += historyLength(u);
          for (int j = historyStart[u]; j < historyStart[u + 1]; j++) newsUsed.set(historyNews[j]);
        }
        int pos = 0;
        for (int j = 0; j < d.count; j++) {
          newsUsed.set(d.candidates[j]);
          pos += d.labels[j];
        }
        candidates += d.count;
        clicks += pos;
        if (pos == 0) allNegative++;
        oracleMetrics.add(d.p, 0, d.labels, 0, d.count);
        if ((i & 4095) == 4095) {
          long now = System.nanoTime();
          if (now - lastReport > 5_000_000_000L) {
            lastReport = now;
            progress.accept(String.format("%s: %,d / %,d impressions (%.0f%%), %.0f s", name, i + 1,
                size, 100.0 * (i + 1) / size, (now - began) / 1e9));
          }
        }
      }
    }
    int unlabelledWritten = 0;
    if (isTrain && config.unlabelledUsers() > 0) {
      try (Writer w = writer(folder.resolve(HistoriesFile.FILE_NAME))) {
        for (int u = unlabelled.nextSetBit(0); u >= 0; u = unlabelled.nextSetBit(u + 1)) {
          if (historyLength(u) == 0) continue;
          line.setLength(0);
          HistoriesFile.appendLine(line, userId(u), history(u), historyLength(u), SyntheticWorld::newsId);
          w.append(line);
          for (int j = historyStart[u]; j < historyStart[u + 1]; j++) newsUsed.set(historyNews[j]);
          unlabelledWritten++;
        }
      }
    }
    BitSet entitiesUsed = new BitSet(entityCatalogue.size());
    try (Writer w = writer(folder.resolve("news.tsv"))) {
      for (int n = newsUsed.nextSetBit(0); n >= 0; n = newsUsed.nextSetBit(n + 1)) {
        MindWriter.writeNews(w, draft(n, true).news);
        for (int j = entityStart[n]; j < entityStart[n + 1]; j++) entitiesUsed.set(entities[j]);
      }
    }
    Map<String, float[]> vectors = new LinkedHashMap<>();
    for (int e = entitiesUsed.nextSetBit(0); e >= 0; e = entitiesUsed.nextSetBit(e + 1)) {
      vectors.put(SyntheticEntities.wikidataId(e), entityCatalogue.vector(e));
    }
    MindWriter.writeVectors(folder.resolve("entity_embedding.vec"), vectors, 6);
    MindWriter.writeVectors(folder.resolve("relation_embedding.vec"), entityCatalogue.relationVectors(), 6);
    return new SplitSummary(name, newsUsed.cardinality(), usersSeen.cardinality(), size,
        candidates, clicks, historyClicks, allNegative, unlabelledWritten, oracleMetrics.result());
  }

  private void appendBehaviour(StringBuilder sb, String impressionId, int u, Draw d) {
    int len = historyLength(u);
    int[] h = len == 0 ? new int[0] : history(u);
    MindWriter.appendBehavior(sb, impressionId, userId(u), d.time, h, len, d.candidates,
        d.labels, d.count, SyntheticWorld::newsId);
  }

  private static Writer writer(Path file) throws IOException {
    return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file),
        StandardCharsets.UTF_8), 1 << 20);
  }
}
