package dev.newsrec.nn.plm.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsrec.nn.Engines;
import dev.newsrec.nn.plm.weights.MiniLm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {
  static final List<String> SENTENCES = List.of(
      "The Brown Fox jumps over the lazy dog.",
      "Café owners in Zürich don't like unaffordable rents!",
      "NASA's Perseverance rover finds signs of ancient microbial life",
      "Stocks rally as inflation cools; S&P 500 hits record high (again)",
      "北京 weather: 25°C, sunny",
      "Unbelievably hyperparameterized transformers outperform baselines",
      "   extra   spaces\tand\nnewlines  ",
      "");

  @Test
  void javaWordPieceMatchesHuggingFaceOnMiniLmVocab() {
    Engines.prepare();
    try (HfTokenizer hf = MiniLm.tokenizer()) {
      WordPieceTokenizer wp = new WordPieceTokenizer(hf.vocab(), true);
      for (String s : SENTENCES) {
        PlmTokenizer.Tokens a = hf.tokenize(s);
        PlmTokenizer.Tokens b = wp.tokenize(s);
        assertThat(b.ids()).as(s).containsExactly(a.ids());
        assertThat(b.wordIds()).as(s).containsExactly(a.wordIds());
      }
      assertThat(hf.tokenize("The Brown Fox").ids()).containsExactly(1996, 2829, 4419);
      assertThat(hf.clsId()).isEqualTo(101);
      assertThat(hf.sepId()).isEqualTo(102);
      assertThat(hf.padId()).isEqualTo(0);
      assertThat(hf.maskId()).isEqualTo(103);
      assertThat(hf.vocabSize()).isEqualTo(30522);
    }
  }

  @Test
  void wordIdsMarkWholeWords() {
    try (HfTokenizer hf = MiniLm.tokenizer()) {
      PlmTokenizer.Tokens t = hf.tokenize("unaffordable rents");
      assertThat(t.size()).isGreaterThan(2);
      assertThat(t.wordIds()[0]).isEqualTo(0);
      assertThat(t.wordIds()[t.size() - 1]).isEqualTo(1);
    }
  }

  @Test
  void batchEncodingTruncatesAndPads() {
    try (HfTokenizer hf = MiniLm.tokenizer()) {
      TokenBatch b = hf.encode(List.of("a b c d e f g h", "hello"), 6, PlmTokenizer.Padding.LONGEST);
      assertThat(b.length()).isEqualTo(6);
      assertThat(b.ids()[0]).startsWith(101).endsWith(102);
      assertThat(b.mask()[0]).containsOnly(1);
      assertThat(b.ids()[1]).containsExactly(101, hf.idOf("hello"), 102, 0, 0, 0);
      assertThat(b.mask()[1]).containsExactly(1, 1, 1, 0, 0, 0);
      assertThat(b.wordIds()[0]).containsExactly(-1, 0, 1, 2, 3, -1);
      assertThat(b.wordIds()[1]).containsExactly(-1, 0, -1, -1, -1, -1);
      TokenBatch shortOnes = hf.encode(List.of("hello", "hi"), 10, PlmTokenizer.Padding.LONGEST);
      assertThat(shortOnes.length()).isEqualTo(3);
      TokenBatch fixed = hf.encode(List.of("hello"), 10, PlmTokenizer.Padding.MAX_LENGTH);
      assertThat(fixed.length()).isEqualTo(10);
    }
  }

  @Test
  void readsVocabTxt(@TempDir Path dir) throws Exception {
    Map<String, Integer> vocab;
    try (HfTokenizer hf = MiniLm.tokenizer()) {
      vocab = hf.vocab();
    }
    String[] lines = new String[vocab.size()];
    vocab.forEach((t, id) -> lines[id] = t);
    Path file = dir.resolve("vocab.txt");
    Files.write(file, new ArrayList<>(List.of(lines)));
    WordPieceTokenizer wp = WordPieceTokenizer.fromVocabFile(file, true);
    assertThat(wp.vocabSize()).isEqualTo(30522);
    assertThat(wp.tokenize("The Brown Fox").ids()).containsExactly(1996, 2829, 4419);
  }
}
