package dev.newsrec.nn.model;

import dev.newsrec.nn.plm.tokenizer.PlmTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.stream.Collectors;

/**
 * NRMS's word vocabulary: the tokenizer ids that occur in the corpus's titles (plus [PAD], [UNK],
 * [CLS], [SEP]), renumbered densely. A 30,522-row table where a few thousand rows are used would
 * make every step's embedding gradient and optimiser update 10x larger than needed. Titles of
 * later corpora map tokens outside it to [UNK]; the list is saved with the model.
 */
public final class TitleVocabulary {
  public static final String FILE = "vocabulary.txt";
  private final int[] originalIds;
  private final int[] map;
  private final int unknown;
  private final int pad;

  private TitleVocabulary(int[] originalIds, int tokenizerSize, PlmTokenizer tokenizer) {
    this.originalIds = originalIds;
    this.map = new int[tokenizerSize];
    Arrays.fill(map, -1);
    for (int i = 0; i < originalIds.length; i++) map[originalIds[i]] = i;
    this.unknown = map[tokenizer.unkId()];
    this.pad = map[tokenizer.padId()];
  }

  /** The ids used by these titles, with the special tokens. */
  public static TitleVocabulary of(NewsTokens titles, PlmTokenizer tokenizer) {
    BitSet used = new BitSet(tokenizer.vocabSize());
    for (int id : new int[] {tokenizer.padId(), tokenizer.unkId(), tokenizer.clsId(), tokenizer.sepId()}) {
      used.set(id);
    }
    for (int n = 0; n < titles.size(); n++) for (int id : titles.ids(n)) used.set(id);
    return new TitleVocabulary(used.stream().toArray(), tokenizer.vocabSize(), tokenizer);
  }

  public static TitleVocabulary read(Path file, PlmTokenizer tokenizer) {
    try {
      int[] ids = Files.readAllLines(file).stream().filter(l -> !l.isBlank())
          .mapToInt(l -> Integer.parseInt(l.trim())).toArray();
      return new TitleVocabulary(ids, tokenizer.vocabSize(), tokenizer);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + ": not a vocabulary of this tokenizer: " + e.getMessage(), e);
    }
  }

  public void write(Path file) {
    dev.newsrec.core.io.AtomicFiles.writeString(file, Arrays.stream(originalIds)
        .mapToObj(Integer::toString).collect(Collectors.joining("\n", "", "\n")));
  }

  public int size() { return originalIds.length; }

  /** Tokenizer id of row i (to copy a PLM's word vectors into the table). */
  public int originalId(int i) { return originalIds[i]; }

  public NewsTokens apply(NewsTokens titles) { return titles.remap(map, unknown, pad); }

  /** One title's PLM token ids in this vocabulary (a news added at run time). */
  public int[] apply(int[] title) { return NewsTokens.remap(title, map, unknown); }
}
