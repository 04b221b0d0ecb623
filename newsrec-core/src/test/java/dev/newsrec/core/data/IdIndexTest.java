package dev.newsrec.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdIndexTest {
  /** Keys of every kind the index packs differently: short ASCII, long, non-ASCII, empty. */
  private static List<String> keys(Random r, int n) {
    List<String> out = new ArrayList<>();
    out.add("");
    out.add("N");
    out.add("N1234567"); // 8 chars: one past the packed length
    out.add("Né1"); // short but not ASCII
    out.add("\u007f\u007f"); // the highest ASCII char, packed
    // numbered keys (found by their number) and their neighbours that are not
    out.addAll(List.of("N1", "N01", "N0", "N00", "N12a", "N9999999", "N4194303", "N4194304", "7",
        "07", "U12", "N-1", "NN1"));
    for (int i = 0; i < n; i++) {
      switch (r.nextInt(4)) {
        case 0 -> out.add("N" + r.nextInt(200_000));
        case 1 -> out.add("U" + r.nextInt(1_000_000_000));
        case 2 -> out.add("entity-" + Long.toHexString(r.nextLong()));
        default -> out.add("Ü" + r.nextInt(1000));
      }
    }
    return out;
  }

  @Test
  void givesDenseIdsInFirstAddOrderAndFindsThemFromAnyRangeAsAHashMapDoes() {
    Random r = new Random(7);
    IdIndex index = new IdIndex();
    Map<String, Integer> expected = new HashMap<>();
    for (String k : keys(r, 60_000)) { // grows the table many times over
      int id = index.add(k);
      Integer before = expected.putIfAbsent(k, expected.size());
      assertThat(id).as(k).isEqualTo(before == null ? expected.size() - 1 : before);
    }
    assertThat(index.size()).isEqualTo(expected.size());
    for (Map.Entry<String, Integer> e : expected.entrySet()) {
      String line = "x\t" + e.getKey() + " y";
      assertThat(index.find(line, 2, 2 + e.getKey().length())).as(e.getKey()).isEqualTo(e.getValue());
      assertThat(index.get(e.getKey())).isEqualTo(e.getValue());
      assertThat(index.key(e.getValue())).isEqualTo(e.getKey());
    }
    // Absent keys, including ones that differ from present ones in one char or by a prefix.
    for (String k : keys(new Random(8), 20_000)) {
      for (String probe : List.of(k + "0", "Z" + k, k.isEmpty() ? "q" : k.substring(1))) {
        assertThat(index.get(probe)).as(probe).isEqualTo(expected.getOrDefault(probe, -1));
      }
    }
  }

  @Test
  void numberedKeysWithoutPrefixAndOtherPrefixesAgree() {
    IdIndex index = new IdIndex();
    assertThat(index.find("x 12", 2, 4)).isEqualTo(-1); // on an empty index
    List<String> keys = List.of("12", "N12", "012", "3", "U3", "4194304", "0", "");
    for (int i = 0; i < keys.size(); i++) assertThat(index.add(keys.get(i))).isEqualTo(i);
    for (int i = 0; i < keys.size(); i++) {
      assertThat(index.get(keys.get(i))).as(keys.get(i)).isEqualTo(i);
      assertThat(index.key(i)).isEqualTo(keys.get(i));
    }
    assertThat(index.get("13")).isEqualTo(-1);
    assertThat(index.get("1200000")).isEqualTo(-1); // beyond the numbered table's length
    assertThat(index.get("N3")).isEqualTo(-1);
    assertThat(index.add("12")).isEqualTo(0);
    assertThat(index.size()).isEqualTo(keys.size());
  }
}
