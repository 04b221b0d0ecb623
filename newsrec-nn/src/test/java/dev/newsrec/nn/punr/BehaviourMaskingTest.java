package dev.newsrec.nn.punr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.newsrec.nn.train.TrainRandom;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * User-behaviour masking over many random documents: the realised ratios (alpha of the title
 * tokens, beta of the budget on whole behaviours), whole titles and whole words, [CLS]/[SEP]
 * never masked, and the 80/10/10 replacement.
 */
class BehaviourMaskingTest {
  static final int CLS = 2;
  static final int SEP = 3;
  static final int MASK = 4;
  static final int VOCAB = 5000;

  /** A random document of 5-50 titles of 4-16 tokens, words of 1-3 tokens. */
  record Doc(int[] ids, int[] start, int[] end, boolean[] wordStart) {}

  static Doc randomDoc(Random r) {
    int titles = 5 + r.nextInt(46);
    int[] lengths = new int[titles];
    int n = 1;
    for (int k = 0; k < titles; k++) {
      lengths[k] = 4 + r.nextInt(13);
      n += lengths[k] + 1;
    }
    int[] ids = new int[n];
    boolean[] ws = new boolean[n];
    int[] start = new int[titles];
    int[] end = new int[titles];
    ids[0] = CLS;
    int pos = 1;
    for (int k = 0; k < titles; k++) {
      start[k] = pos;
      int left = 0;
      for (int j = 0; j < lengths[k]; j++) {
        ids[pos] = 10 + r.nextInt(VOCAB - 10);
        ws[pos] = left == 0;
        left = left == 0 ? r.nextInt(3) : left - 1;
        pos++;
      }
      end[k] = pos;
      ids[pos++] = SEP;
    }
    return new Doc(ids, start, end, ws);
  }

  @Test
  void realisedRatiosWholeSpansWholeWordsAndReplacements() {
    BehaviourMasking masking = new BehaviourMasking(0.3, 0.3, MASK, VOCAB);
    Random docs = new Random(11);
    TrainRandom random = new TrainRandom(5);
    long tokens = 0;
    long masked = 0;
    long budget = 0;
    long spanTokens = 0;
    long asMask = 0;
    long kept = 0;
    long other = 0;
    for (int d = 0; d < 2000; d++) {
      Doc doc = randomDoc(docs);
      BehaviourMasking.Masked m = masking.mask(doc.ids(), doc.start(), doc.end(), doc.wordStart(), random);
      boolean[] isMasked = new boolean[doc.ids().length];
      for (int p : m.positions()) isMasked[p] = true;
      for (int k = 0; k < doc.start().length; k++) tokens += doc.end()[k] - doc.start()[k];
      masked += m.positions().length;
      budget += m.budget();
      // Never more than the budget; [CLS] and [SEP] never.
      assertThat(m.positions().length).isLessThanOrEqualTo(m.budget());
      for (int p : m.positions()) assertThat(doc.ids()[p]).isNotIn(CLS, SEP);
      assertThat(m.input()[0]).isEqualTo(CLS);
      // Behaviour spans are whole titles, and their token count is what the record says.
      int span = 0;
      for (int k : m.behaviours()) {
        for (int t = doc.start()[k]; t < doc.end()[k]; t++) assertThat(isMasked[t]).isTrue();
        span += doc.end()[k] - doc.start()[k];
      }
      assertThat(span).isEqualTo(m.behaviourTokens());
      assertThat(span).isLessThanOrEqualTo((int) Math.round(m.budget() * 0.3));
      spanTokens += span;
      // Whole words: a word is masked entirely or not at all.
      for (int t = 1; t < doc.ids().length; t++) {
        if (!doc.wordStart()[t] && doc.ids()[t] != SEP && doc.ids()[t - 1] != SEP) {
          assertThat(isMasked[t]).as("doc %d token %d", d, t).isEqualTo(isMasked[t - 1]);
        }
      }
      for (int i = 0; i < m.positions().length; i++) {
        int p = m.positions()[i];
        assertThat(m.labels()[i]).isEqualTo(doc.ids()[p]);
        if (m.input()[p] == MASK) asMask++;
        else if (m.input()[p] == doc.ids()[p]) kept++;
        else other++;
      }
      // Unmasked positions are untouched.
      for (int t = 0; t < doc.ids().length; t++) if (!isMasked[t]) assertThat(m.input()[t]).isEqualTo(doc.ids()[t]);
    }
    double alpha = (double) masked / tokens;
    double beta = (double) spanTokens / budget;
    assertThat(alpha).as("realised alpha").isCloseTo(0.3, within(0.01));
    // Titles must fit the share whole, so slightly less than beta is spent on them.
    assertThat(beta).as("realised beta").isBetween(0.24, 0.30);
    double n = asMask + kept + other;
    assertThat(asMask / n).isCloseTo(0.8, within(0.01));
    assertThat(kept / n).isCloseTo(0.1, within(0.01));
    assertThat(other / n).isCloseTo(0.1, within(0.01));
  }

  @Test
  void betaZeroMasksNoWholeBehaviourAndBetaOneSpendsTheBudgetOnTitles() {
    Random docs = new Random(3);
    TrainRandom random = new TrainRandom(9);
    long span = 0;
    long budget = 0;
    for (int d = 0; d < 300; d++) {
      Doc doc = randomDoc(docs);
      assertThat(new BehaviourMasking(0.3, 0, MASK, VOCAB)
          .mask(doc.ids(), doc.start(), doc.end(), doc.wordStart(), random).behaviours()).isEmpty();
      BehaviourMasking.Masked m = new BehaviourMasking(0.3, 1, MASK, VOCAB)
          .mask(doc.ids(), doc.start(), doc.end(), doc.wordStart(), random);
      span += m.behaviourTokens();
      budget += m.budget();
    }
    assertThat((double) span / budget).isGreaterThan(0.9);
  }

  @Test
  void theSameGeneratorStateMasksTheSame() {
    Doc doc = randomDoc(new Random(1));
    BehaviourMasking masking = new BehaviourMasking(0.3, 0.3, MASK, VOCAB);
    BehaviourMasking.Masked a = masking.mask(doc.ids(), doc.start(), doc.end(), doc.wordStart(), new TrainRandom(4));
    BehaviourMasking.Masked b = masking.mask(doc.ids(), doc.start(), doc.end(), doc.wordStart(), new TrainRandom(4));
    assertThat(a.input()).isEqualTo(b.input());
    assertThat(a.positions()).isEqualTo(b.positions());
  }
}
