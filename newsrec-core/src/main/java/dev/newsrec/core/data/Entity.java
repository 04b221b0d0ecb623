package dev.newsrec.core.data;

import java.util.List;

/** One entity of a news title or abstract, as in MIND's TitleEntities / AbstractEntities JSON. */
public record Entity(
    String label,
    String type,
    String wikidataId,
    double confidence,
    List<Integer> occurrenceOffsets,
    List<String> surfaceForms) {

  public Entity {
    occurrenceOffsets = List.copyOf(occurrenceOffsets);
    surfaceForms = List.copyOf(surfaceForms);
  }
}
