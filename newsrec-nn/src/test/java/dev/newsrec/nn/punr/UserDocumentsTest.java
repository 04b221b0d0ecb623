package dev.newsrec.nn.punr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsrec.core.data.News;
import dev.newsrec.core.data.NewsCorpus;
import dev.newsrec.core.sample.HistoryPolicy;
import dev.newsrec.nn.model.NewsTokens;
import dev.newsrec.nn.plm.tokenizer.PlmTokenizer;
import dev.newsrec.nn.plm.tokenizer.WordPieceTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user document: order, separators, segments, truncation, placeholder. */
class UserDocumentsTest {
  @TempDir Path tmp;
  NewsTokens titles;
  PlmTokenizer tok;
  int cls;
  int sep;

  /** News i has title "a{i} b{i} ... " with i % 4 + 1 words. */
  @BeforeEach
  void corpus() throws Exception {
    List<String> vocab = new ArrayList<>(List.of(PunrTesting.SPECIALS));
    NewsCorpus corpus = new NewsCorpus();
    for (int i = 0; i < 10; i++) {
      StringBuilder t = new StringBuilder();
      for (int w = 0; w <= i % 4; w++) {
        String word = (char) ('a' + w) + Integer.toString(i);
        vocab.add(word);
        t.append(word).append(' ');
      }
      corpus.add(News.of("N" + i, "c", "s", t.toString().trim()));
    }
    Files.write(tmp.resolve("vocab.txt"), vocab);
    tok = WordPieceTokenizer.fromVocabFile(tmp.resolve("vocab.txt"), true);
    titles = NewsTokens.of(corpus, tok, 30);
    cls = tok.clsId();
    sep = tok.sepId();
  }

  UserDocuments docs(int max, HistoryPolicy policy, int titleTokens, int docTokens) {
    return new UserDocuments(titles, cls, sep, tok.padId(), max, policy, titleTokens, docTokens);
  }

  int id(String word) { return tok.idOf(word); }

  @Test
  void titlesOldestFirstWithOneClsAndATrailingSepEach() {
    UserDocuments.Document d = docs(50, HistoryPolicy.RECENT, 30, 512).build(new int[] {1, 2, 0});
    assertThat(d.ids()).containsExactly(cls, id("a1"), id("b1"), sep, id("a2"), id("b2"), id("c2"), sep,
        id("a0"), sep);
    // Behaviours numbered from 0 (the authors' numbering): [CLS] shares segment 0 with the first.
    assertThat(d.segments()).containsExactly(0, 0, 0, 0, 1, 1, 1, 1, 2, 2);
    assertThat(d.spanStart()).containsExactly(1, 4, 8);
    assertThat(d.spanEnd()).containsExactly(3, 7, 9);
    assertThat(d.news()).containsExactly(1, 2, 0);
  }

  @Test
  void tooLongDropsTheOldestWholeBehavioursFirst() {
    // 1: 2 tokens, 2: 3, 3: 4, 0: 1 -> lengths with [SEP]: 3, 4, 5, 2; [CLS] + all = 15.
    int[] history = {1, 2, 3, 0};
    assertThat(docs(50, HistoryPolicy.RECENT, 30, 15).build(history).news()).containsExactly(1, 2, 3, 0);
    UserDocuments.Document d = docs(50, HistoryPolicy.RECENT, 30, 14).build(history);
    assertThat(d.news()).containsExactly(2, 3, 0);
    assertThat(d.length()).isEqualTo(12);
    assertThat(d.ids()[1]).isEqualTo(id("a2"));
    assertThat(d.segments()[1]).isZero();
    assertThat(docs(50, HistoryPolicy.RECENT, 30, 8).build(history).news()).containsExactly(3, 0);
    // The newest behaviour alone stays even when it does not fit: its tail is cut.
    UserDocuments.Document one = docs(50, HistoryPolicy.RECENT, 30, 4).build(new int[] {3});
    assertThat(one.ids()).containsExactly(cls, id("a3"), id("b3"), sep);
  }

  @Test
  void maxBehavioursByPolicyAndTitlesCutToTitleTokens() {
    int[] history = {1, 2, 3, 5, 6};
    assertThat(docs(3, HistoryPolicy.RECENT, 30, 512).build(history).news()).containsExactly(3, 5, 6);
    assertThat(docs(3, HistoryPolicy.OLDEST, 30, 512).build(history).news()).containsExactly(1, 2, 3);
    // title_tokens 4 = [CLS] + 2 tokens + [SEP]: news 3's 4 words keep 2.
    UserDocuments.Document d = docs(50, HistoryPolicy.RECENT, 4, 512).build(new int[] {3});
    assertThat(d.ids()).containsExactly(cls, id("a3"), id("b3"), sep);
  }

  @Test
  void emptyHistoryIsThePlaceholderDocument() {
    UserDocuments.Document d = docs(50, HistoryPolicy.RECENT, 30, 512).build(new int[0]);
    assertThat(d.ids()).containsExactly(cls, sep);
    assertThat(d.segments()).containsExactly(0, 0);
    assertThat(d.behaviours()).isZero();
  }

  @Test
  void paddingFillsToTheLongest() {
    UserDocuments u = docs(50, HistoryPolicy.RECENT, 30, 512);
    UserDocuments.Document a = u.build(new int[] {0});
    UserDocuments.Document b = u.build(new int[] {1, 2});
    UserDocuments.Padded p = u.pad(List.of(a.ids(), b.ids()), List.of(a.segments(), b.segments()));
    assertThat(p.length()).isEqualTo(b.length());
    assertThat(p.mask()[a.length()]).isZero();
    assertThat(p.ids()[a.length()]).isEqualTo(tok.padId());
    assertThat(p.segments()[p.length() + b.length() - 1]).isEqualTo(1);
  }
}
