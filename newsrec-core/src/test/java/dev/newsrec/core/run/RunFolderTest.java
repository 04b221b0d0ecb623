package dev.newsrec.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.newsrec.core.UserException;
import dev.newsrec.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderTest {
  @TempDir Path tmp;

  @Test
  void aRunIsMarkedIncompleteUntilItFinishesThenAFinishedRunIsNotOverwritten() {
    Path dir = tmp.resolve("run");
    RunFolder run = RunFolder.create(dir, "x");
    assertThat(dir.resolve(RunFolder.INCOMPLETE)).exists();
    writeConfig(run);
    run.finish();
    assertThat(dir.resolve(RunFolder.INCOMPLETE)).doesNotExist();
    assertThatThrownBy(() -> RunFolder.create(dir, "x")).isInstanceOf(UserException.class)
        .hasMessageContaining("already holds a run");
  }

  @Test
  void aRunThatFailedAfterItsFolderWasMadeCanBeRunAgainAndStartsClean() throws IOException {
    Path dir = tmp.resolve("run");
    RunFolder failed = RunFolder.create(dir, "x");
    writeConfig(failed);
    Files.writeString(dir.resolve(RunFolder.PROVENANCE), "{}");
    Files.writeString(failed.metrics().file(), "{\"step\":1,\"loss\":2}\n");
    // no finish(): the run failed (or was killed) here
    assertThatThrownBy(() -> RunFolder.open(dir)).isInstanceOf(UserException.class)
        .hasMessageContaining("did not finish");
    RunFolder again = RunFolder.create(dir, "x");
    assertThat(again.dir()).isEqualTo(dir);
    try (var s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly(RunFolder.INCOMPLETE);
    }
  }

  @Test
  void aNonEmptyFolderThatIsNotARunIsRefusedAndLeftAlone() throws IOException {
    Path dir = tmp.resolve("mine");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("notes.txt"), "my notes");
    assertThatThrownBy(() -> RunFolder.check(dir)).isInstanceOf(UserException.class)
        .hasMessageContaining("is not empty and holds no run");
    assertThatThrownBy(() -> RunFolder.create(dir, "x")).isInstanceOf(UserException.class);
    try (var s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
    }
    Path empty = tmp.resolve("empty");
    Files.createDirectories(empty);
    RunFolder.check(empty);
  }

  @Test
  void anUnusableOutSaysWhyBeforeAnythingIsMade() throws IOException {
    Path file = tmp.resolve("file");
    Files.writeString(file, "x");
    assertThatThrownBy(() -> RunFolder.check(file)).hasMessageContaining(file + " is a file");
    assertThatThrownBy(() -> RunFolder.check(file.resolve("run")))
        .isInstanceOf(UserException.class).hasMessageContaining(file + " is a file, not a folder");
    // /proc refuses new entries to every user, root included
    assertThatThrownBy(() -> RunFolder.check(Path.of("/proc/self/newsrec-run")))
        .isInstanceOf(UserException.class).hasMessageContaining("permission denied");
  }

  @Test
  void theParentOfSeedRunsHoldsOnlyThem() throws IOException {
    Path parent = tmp.resolve("seeds");
    RunFolder.checkAll(parent, List.of("seed-1", "seed-2"));
    RunFolder seed1 = RunFolder.create(parent.resolve("seed-1"), "x");
    writeConfig(seed1);
    seed1.finish();
    assertThatThrownBy(() -> RunFolder.checkAll(parent, List.of("seed-1", "seed-2")))
        .hasMessageContaining("seed-1 already holds a run");
    Files.writeString(parent.resolve("other.txt"), "x");
    assertThatThrownBy(() -> RunFolder.checkAll(parent, List.of("seed-3")))
        .hasMessageContaining("holds other.txt");
  }

  private static void writeConfig(RunFolder run) {
    AtomicFiles.writeString(run.file(RunFolder.CONFIG), "name: x\n");
  }
}
