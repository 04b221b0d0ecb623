package dev.newsrec.core.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * All news known to a run, by dense index. Built from the news.tsv of every split in use (never
 * the training split alone), so dev and test news keep their titles and entities.
 */
public final class NewsCorpus {
  private final IdIndex index = new IdIndex();
  private final List<News> news = new ArrayList<>();

  /** Adds news; a news id seen before keeps its first row (MIND repeats news across splits). */
  public int add(News n) {
    int before = index.size();
    int i = index.add(n.id());
    if (i == before) news.add(n);
    return i;
  }

  public int size() { return news.size(); }

  public News get(int i) { return news.get(i); }

  /** Index of a news id, or -1. */
  public int indexOf(String id) { return index.get(id); }

  public int indexOf(CharSequence s, int start, int end) { return index.find(s, start, end); }

  public String id(int i) { return news.get(i).id(); }

  public List<News> all() { return Collections.unmodifiableList(news); }
}
