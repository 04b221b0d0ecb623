package dev.newsrec.nn.plm.tokenizer;

import dev.newsrec.core.UserException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * BERT's WordPiece tokenizer in Java, for folders that ship only {@code vocab.txt}: clean text,
 * optional lower-casing with accent stripping, split on whitespace, punctuation and CJK
 * characters (each piece is one "word"), then greedy longest-match WordPiece with {@code ##}
 * continuation pieces; words longer than 100 characters or without a match become [UNK].
 */
public final class WordPieceTokenizer implements PlmTokenizer {
  private static final int MAX_WORD_CHARS = 100;

  private final Map<String, Integer> vocab;
  private final boolean lowerCase;
  private final int pad;
  private final int cls;
  private final int sep;
  private final int mask;
  private final int unk;

  /** A tokenizer over {@code vocab} (token -> id); lower-cases and strips accents if asked. */
  public WordPieceTokenizer(Map<String, Integer> vocab, boolean lowerCase) {
    this.vocab = Map.copyOf(vocab);
    this.lowerCase = lowerCase;
    pad = special("[PAD]");
    cls = special("[CLS]");
    sep = special("[SEP]");
    mask = special("[MASK]");
    unk = special("[UNK]");
  }

  /** Reads a {@code vocab.txt} (one token per line, id = line number from 0). */
  public static WordPieceTokenizer fromVocabFile(Path vocabTxt, boolean lowerCase) {
    List<String> lines;
    try {
      lines = Files.readAllLines(vocabTxt, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserException(vocabTxt + ": cannot read vocabulary: " + e.getMessage());
    }
    Map<String, Integer> vocab = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String token = lines.get(i).strip();
      if (!token.isEmpty()) {
        vocab.putIfAbsent(token, i);
      }
    }
    try {
      return new WordPieceTokenizer(vocab, lowerCase);
    } catch (UserException e) {
      throw new UserException(vocabTxt + ": " + e.getMessage());
    }
  }

  private int special(String token) {
    Integer id = vocab.get(token);
    if (id == null) {
      throw new UserException("vocabulary has no " + token + " token");
    }
    return id;
  }

  @Override
  public Tokens tokenize(String text) {
    List<String> words = basicTokens(text);
    List<Long> ids = new ArrayList<>();
    List<Long> wordIds = new ArrayList<>();
    for (int w = 0; w < words.size(); w++) {
      for (int id : wordPieces(words.get(w))) {
        ids.add((long) id);
        wordIds.add((long) w);
      }
    }
    long[] a = new long[ids.size()];
    long[] b = new long[ids.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = ids.get(i);
      b[i] = wordIds.get(i);
    }
    return new Tokens(a, b);
  }

  /** Words after cleaning, lower-casing and splitting (BERT's BasicTokenizer). */
  List<String> basicTokens(String text) {
    StringBuilder cleaned = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> {
      if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
        return;
      }
      if (isWhitespace(cp)) {
        cleaned.append(' ');
      } else if (isCjk(cp)) {
        cleaned.append(' ').appendCodePoint(cp).append(' ');
      } else {
        cleaned.appendCodePoint(cp);
      }
    });
    String s = cleaned.toString();
    if (lowerCase) {
      s = stripAccents(s.toLowerCase(Locale.ROOT));
    }
    List<String> words = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    s.codePoints().forEach(cp -> {
      if (cp == ' ') {
        flush(current, words);
      } else if (isPunctuation(cp)) {
        flush(current, words);
        words.add(new String(Character.toChars(cp)));
      } else {
        current.appendCodePoint(cp);
      }
    });
    flush(current, words);
    return words;
  }

  private static void flush(StringBuilder current, List<String> words) {
    if (current.length() > 0) {
      words.add(current.toString());
      current.setLength(0);
    }
  }

  private List<Integer> wordPieces(String word) {
    int[] cps = word.codePoints().toArray();
    if (cps.length > MAX_WORD_CHARS) {
      return List.of(unk);
    }
    List<Integer> pieces = new ArrayList<>();
    int start = 0;
    while (start < cps.length) {
      int end = cps.length;
      Integer found = null;
      while (start < end) {
        String sub = new String(cps, start, end - start);
        if (start > 0) {
          sub = "##" + sub;
        }
        found = vocab.get(sub);
        if (found != null) {
          break;
        }
        end--;
      }
      if (found == null) {
        return List.of(unk);
      }
      pieces.add(found);
      start = end;
    }
    return pieces;
  }

  private static String stripAccents(String s) {
    String nfd = Normalizer.normalize(s, Normalizer.Form.NFD);
    StringBuilder out = new StringBuilder(nfd.length());
    nfd.codePoints().forEach(cp -> {
      if (Character.getType(cp) != Character.NON_SPACING_MARK) {
        out.appendCodePoint(cp);
      }
    });
    return out.toString();
  }

  private static boolean isWhitespace(int cp) {
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r'
        || Character.getType(cp) == Character.SPACE_SEPARATOR;
  }

  private static boolean isControl(int cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') {
      return false;
    }
    int t = Character.getType(cp);
    return t == Character.CONTROL || t == Character.FORMAT;
  }

  private static boolean isPunctuation(int cp) {
    if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96)
        || (cp >= 123 && cp <= 126)) {
      return true;
    }
    int t = Character.getType(cp);
    return t == Character.CONNECTOR_PUNCTUATION || t == Character.DASH_PUNCTUATION
        || t == Character.START_PUNCTUATION || t == Character.END_PUNCTUATION
        || t == Character.INITIAL_QUOTE_PUNCTUATION || t == Character.FINAL_QUOTE_PUNCTUATION
        || t == Character.OTHER_PUNCTUATION;
  }

  private static boolean isCjk(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F)
        || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }

  @Override
  public int padId() {
    return pad;
  }

  @Override
  public int clsId() {
    return cls;
  }

  @Override
  public int sepId() {
    return sep;
  }

  @Override
  public int maskId() {
    return mask;
  }

  @Override
  public int unkId() {
    return unk;
  }

  @Override
  public int vocabSize() {
    return vocab.size();
  }

  @Override
  public int idOf(String token) {
    return vocab.getOrDefault(token, -1);
  }

  @Override
  public void close() {
    // nothing native
  }
}
