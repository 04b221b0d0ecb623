package dev.newsrec.serve;

import dev.newsrec.core.data.News;

/**
 * One news of a request: an id of the served corpus, or a news given inline (id, title, optional
 * category, subcategory and entities) that the corpus may lack.
 *
 * @param inline the news given in the request, or null when only the id was given
 */
public record NewsRef(String id, News inline) {
  public static NewsRef of(String id) {
    return new NewsRef(id, null);
  }
}
