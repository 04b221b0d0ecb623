package dev.newsrec.core.mind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.newsrec.core.data.Impressions;
import dev.newsrec.core.data.News;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MindLinesTest {
  @Test
  void behaviourLineAsRanges() {
    MindLines.Behavior b = new MindLines.Behavior();
    String line = "7\tU13\t11/15/2019 8:05:01 PM\tN1  N2 N3\tN4-1 N5-0 N6-0\r";
    MindLines.behavior(line, b, false);
    assertEquals("7", b.impressionId());
    assertEquals("U13", b.userId());
    String t = "11/15/2019 8:05:01 PM";
    assertEquals(MindTime.parse(t, 0, t.length()), b.time());
    assertEquals(List.of("N1", "N2", "N3"), history(b));
    assertEquals(List.of("N4", "N5", "N6"), candidates(b));
    assertEquals(1, b.label(0));
    assertEquals(0, b.label(2));
    assertTrue(b.labelled());
    assertEquals("N5", line.substring(b.candidateStart(1), b.candidateEnd(1)));

    // Reused for the next line: nothing of the first stays.
    MindLines.behavior("8\tU2\t11/15/2019 8:05:01 AM\t\tN9 N8", b, false);
    assertEquals(0, b.historyCount());
    assertEquals(List.of("N9", "N8"), candidates(b));
    assertFalse(b.labelled());
    assertEquals(Impressions.NO_LABEL, b.label(1));
  }

  @Test
  void repeatedCandidatesAreFoundByIdAcrossManyCandidates() {
    // 600 candidates forces the per-line table to grow; the repeats sit on both sides of the growth.
    StringBuilder imps = new StringBuilder();
    for (int j = 0; j < 600; j++) imps.append(j == 0 ? "" : " ").append("N").append(j).append("-0");
    imps.append(" N3-1 N599-0 N3-0");
    String line = "1\tU1\t11/15/2019 8:05:01 PM\tN1\t" + imps;
    MindLines.Behavior b = new MindLines.Behavior();
    MindLines.Defect strict = assertThrows(MindLines.Defect.class,
        () -> MindLines.behavior(line, b, false));
    assertEquals(ReadReport.DUPLICATE_CANDIDATE, strict.defect());
    assertTrue(strict.getMessage().contains("candidate N3 "), strict.getMessage());

    MindLines.behavior(line, b, true);
    assertEquals(600, b.candidateCount());
    assertEquals(3, b.repeats().size());
    // Independent check: the distinct ids in first-seen order.
    Set<String> distinct = new LinkedHashSet<>();
    for (String token : imps.toString().split(" ")) distinct.add(token.substring(0, token.indexOf('-')));
    assertEquals(new ArrayList<>(distinct), candidates(b));
    assertEquals(0, b.label(3)); // the first N3 keeps its label, the repeat's 1 is dropped
  }

  @Test
  void defectsNameTheirField() {
    MindLines.Behavior b = new MindLines.Behavior();
    String[][] cases = {
        {"   ", null},
        {"1\tU1\t11/15/2019 8:05:01 PM\tN1", "columns"},
        {"\tU1\t11/15/2019 8:05:01 PM\tN1\tN2-1", "ImpressionID"},
        {"1\t\t11/15/2019 8:05:01 PM\tN1\tN2-1", "UserID"},
        {"1\tU1\tyesterday\tN1\tN2-1", "Time"},
        {"1\tU1\t11/15/2019 8:05:01 PM\tN1\tN2-2", "Impressions"},
        {"1\tU1\t11/15/2019 8:05:01 PM\tN1\tN2-1 N3", "Impressions"},
        {"1\tU1\t11/15/2019 8:05:01 PM\tN1\t  ", "Impressions"},
    };
    for (String[] c : cases) {
      MindLines.Defect d = assertThrows(MindLines.Defect.class, () -> MindLines.behavior(c[0], b, true),
          c[0]);
      assertEquals(c[1], d.field(), c[0]);
    }
  }

  @Test
  void newsLine() {
    News n = MindLines.news("N1\tsports\tnfl\tA title\tAn abstract\thttp://x\t"
        + "[{\"Label\":\"NFL\",\"Type\":\"O\",\"WikidataId\":\"Q1215884\",\"Confidence\":1.0,"
        + "\"OccurrenceOffsets\":[2],\"SurfaceForms\":[\"NFL\"]}]\t[]");
    assertEquals("N1", n.id());
    assertEquals("Q1215884", n.titleEntities().get(0).wikidataId());
    MindLines.Defect d = assertThrows(MindLines.Defect.class,
        () -> MindLines.news("N1\ts\tn\tt\ta\tu\t[{\"Label\":1}]\t[]"));
    assertEquals("TitleEntities", d.field());
    assertEquals("bad TitleEntities", d.defect());
  }

  private static List<String> history(MindLines.Behavior b) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < b.historyCount(); i++) out.add(b.historyId(i));
    return out;
  }

  private static List<String> candidates(MindLines.Behavior b) {
    List<String> out = new ArrayList<>();
    for (int j = 0; j < b.candidateCount(); j++) out.add(b.candidateId(j));
    return out;
  }
}
