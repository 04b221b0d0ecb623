package dev.newsrec.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blocks cut anywhere give the lines BufferedReader gives, in order. */
class TextBlocksTest {
  @TempDir Path dir;

  @Test
  void linesAcrossBlocksAreTheLinesOfBufferedReader() throws Exception {
    Random r = new Random(5);
    String[] pieces = {"a", "bc", "\t", " ", "\n", "\r\n", "\r", "é", "日本", "\n\n", "x\ty"};
    for (int round = 0; round < 50; round++) {
      StringBuilder sb = new StringBuilder();
      int n = r.nextInt(200);
      for (int i = 0; i < n; i++) sb.append(pieces[r.nextInt(pieces.length)]);
      String text = sb.toString();
      Path f = dir.resolve("f" + round + ".txt");
      Files.write(f, text.getBytes(StandardCharsets.UTF_8));
      List<String> expected = new ArrayList<>();
      try (BufferedReader in = new BufferedReader(new StringReader(text))) {
        for (String line; (line = in.readLine()) != null; ) expected.add(line);
      }
      for (int minBytes : new int[] {1, 7, 1 << 16}) {
        List<String> actual = new ArrayList<>();
        List<TextBlocks.Block> blocks = TextBlocks.blocks(f, 1000, minBytes);
        long at = 0;
        for (TextBlocks.Block b : blocks) {
          assertThat(b.start()).isEqualTo(at);
          at = b.end();
          actual.addAll(TextBlocks.read(b));
        }
        assertThat(at).isEqualTo(Files.size(f));
        assertThat(actual).as("round %d, blocks of %d bytes", round, minBytes).isEqualTo(expected);
        if (minBytes == 1 && text.chars().filter(c -> c == '\n').count() > 3) assertThat(blocks.size()).isGreaterThan(2);
      }
    }
  }
}
