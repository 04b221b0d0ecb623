package dev.newsrec.nn.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsrec.core.data.Entity;
import dev.newsrec.core.data.EntityEmbeddings;
import dev.newsrec.core.data.IdIndex;
import dev.newsrec.core.data.News;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.nn.plm.tokenizer.PlmTokenizer;
import dev.newsrec.nn.plm.weights.PretrainedPlm;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Category ids, title entities in order of occurrence, entity vectors with missing ids counted. */
class NewsInputsTest {
  static Entity entity(String id, int offset) {
    return new Entity(id, "P", id, 1.0, List.of(offset), List.of(id));
  }

  @Test
  void categoriesEntitiesInTitleOrderAndMissingVectors() {
    NewsCorpus corpus = new NewsCorpus();
    corpus.add(new News("N1", "sports", "soccer", "Messi joins Miami", "", "",
        List.of(entity("Q2", 11), entity("Q1", 0)), List.of()));
    corpus.add(new News("N2", "finance", "markets", "Stocks fall", "", "", List.of(), List.of()));
    corpus.add(new News("N3", "sports", "tennis", "Miami open", "", "", List.of(entity("Q2", 0)), List.of()));
    try (PlmTokenizer tok = PretrainedPlm.tokenizer("minilm")) {
      NewsInputs in = NewsInputs.of(corpus, NewsTokens.of(corpus, tok, 16));
      assertThat(in.categoryNames()).containsExactly("sports", "finance");
      assertThat(in.category(2)).isEqualTo(0);
      assertThat(in.subcategory(2)).isEqualTo(2);
      assertThat(in.entityIds()).containsExactly("Q1", "Q2"); // N1's entities in title order
      assertThat(in.entities(0)).containsExactly(0, 1);
      assertThat(in.entities(1)).isEmpty();
      assertThat(in.entities(2)).containsExactly(1);

      IdIndex ids = new IdIndex();
      ids.add("Q2");
      List<String> log = new ArrayList<>();
      in.withEntityVectors(new EntityEmbeddings(ids, new float[] {0.5f, -1f}, 2), log::add);
      assertThat(in.entityVector(0)).isNull();
      assertThat(in.entityVector(1)).containsExactly(0.5f, -1f);
      assertThat(in.missingVectors()).isEqualTo(1);
      assertThat(log).singleElement().asString().contains("1 of 2").contains("1 missing");

      int n = in.add(News.of("N4", "weather", "storms", "Storm hits"), NewsTokens.title("Storm hits", tok, 16));
      assertThat(n).isEqualTo(3);
      assertThat(in.titles().size()).isEqualTo(4);
      assertThat(in.categoryNames()).contains("weather");
    }
  }
}
