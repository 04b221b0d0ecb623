package dev.newsrec.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.newsrec.core.UserException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void aSymbolicLinkStaysALinkAndItsTargetIsReplaced() throws IOException {
    Path target = Files.writeString(dir.resolve("real.txt"), "old\n");
    Path link = Files.createSymbolicLink(dir.resolve("link.txt"), Path.of("real.txt"));
    AtomicFiles.writeString(link, "new\n");
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readString(target)).isEqualTo("new\n");
    // a dangling link gets its target created
    Path dangling = Files.createSymbolicLink(dir.resolve("dangling.txt"), dir.resolve("sub/made.txt"));
    AtomicFiles.writeString(dangling, "made\n");
    assertThat(Files.isSymbolicLink(dangling)).isTrue();
    assertThat(Files.readString(dir.resolve("sub/made.txt"))).isEqualTo("made\n");
    try (var s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void aFifoIsWrittenInPlaceNotReplaced() throws Exception {
    Path fifo = dir.resolve("pipe");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    CompletableFuture<String> reader = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        reader.complete(Files.readString(fifo));
      } catch (IOException e) {
        reader.completeExceptionally(e);
      }
    });
    t.setDaemon(true); // a replaced FIFO would leave it waiting for a writer forever
    t.start();
    AtomicFiles.writeString(fifo, "through the pipe\n");
    assertThat(Files.isRegularFile(fifo)).isFalse();
    assertThat(reader.get(60, TimeUnit.SECONDS)).isEqualTo("through the pipe\n");
  }

  @Test
  void dashAndDevStdoutAreStandardOutput() {
    PrintStream old = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      AtomicFiles.writeString(Path.of("-"), "one\n");
      AtomicFiles.writeString(Path.of("/dev/stdout"), "two\n");
      System.out.println("still open");
    } finally {
      System.setOut(old);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8)).isEqualTo("one\ntwo\nstill open\n");
    assertThat(Path.of("-")).doesNotExist();
  }

  @Test
  void aDirectoryOrAnUnwritablePlaceIsRefusedWithTheReason() throws IOException {
    assertThatThrownBy(() -> AtomicFiles.writeString(dir, "x")).isInstanceOf(UserException.class)
        .hasMessageContaining("is a directory");
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertThatThrownBy(() -> AtomicFiles.checkCanCreate(file.resolve("out.txt")))
        .isInstanceOf(UserException.class).hasMessageContaining(file + " is a file, not a folder");
    assertThatThrownBy(() -> AtomicFiles.checkCanCreate(Path.of("/proc/self/out.txt")))
        .isInstanceOf(UserException.class).hasMessageContaining("permission denied");
    // the reason in words, not a bare path
    assertThatThrownBy(() -> AtomicFiles.writeString(file.resolve("out.txt"), "x"))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot write")
        .hasMessageNotContaining("Exception");
  }
}
