package dev.newsrec.core.data;

import java.util.List;

/** One row of news.tsv. Empty columns are empty strings / empty lists, never null. */
public record News(
    String id,
    String category,
    String subCategory,
    String title,
    String abstractText,
    String url,
    List<Entity> titleEntities,
    List<Entity> abstractEntities) {

  public News {
    titleEntities = List.copyOf(titleEntities);
    abstractEntities = List.copyOf(abstractEntities);
  }

  /** The news with just id, category, subcategory and title; the rest empty. */
  public static News of(String id, String category, String subCategory, String title) {
    return new News(id, category, subCategory, title, "", "", List.of(), List.of());
  }
}
