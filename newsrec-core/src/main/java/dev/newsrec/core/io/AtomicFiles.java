package dev.newsrec.core.io;

import dev.newsrec.core.UserException;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes files and folders so that a crash or an error never leaves one half written: a regular
 * file is written to a temporary sibling and renamed over the target. What the user named is
 * respected: a symbolic link stays a link (its target is replaced, atomically next to it), a
 * FIFO, device or {@code /dev}, {@code /proc} path is written in place (a rename would replace the
 * node with a regular file), and {@code -} or {@code /dev/stdout} is standard output.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** The names of standard output: {@code -} (the command-line convention) and its device paths. */
  private static final Set<String> STANDARD_OUTPUT = Set.of("-", "/dev/stdout", "/dev/fd/1",
      "/proc/self/fd/1");

  /** Something that writes to a stream and may fail. */
  @FunctionalInterface
  public interface IoConsumer<T> {
    void accept(T t) throws IOException;
  }

  /** Writes UTF-8 text to target (see the class comment for how each kind of target is written). */
  public static void writeText(Path target, IoConsumer<Writer> body) {
    writeBytes(target, out -> {
      Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
      body.accept(w);
      w.flush();
    });
  }

  public static void writeString(Path target, String text) {
    writeText(target, w -> w.write(text));
  }

  public static void writeBytes(Path target, IoConsumer<OutputStream> body) {
    try (Output o = open(target)) {
      try {
        body.accept(o.stream());
      } catch (IOException e) {
        throw cannotWrite(target, e);
      }
      o.commit();
    }
  }

  /** True when target names standard output ({@code -}, {@code /dev/stdout}, ...). */
  public static boolean isStandardOutput(Path target) {
    return STANDARD_OUTPUT.contains(target.toString());
  }

  /**
   * Starts writing target; {@link Output#commit()} makes it visible whole, closing without commit
   * leaves the target as it was (for a stream target such as standard output, what was written
   * stays written).
   *
   * @throws UserException when target is a folder
   * @throws UncheckedIOException with the reason when it cannot be written
   */
  public static Output open(Path target) {
    if (isStandardOutput(target)) return new Output(target, null, null, new KeepOpen(System.out));
    try {
      Path abs = target.toAbsolutePath();
      Path dest = followLinks(abs, target);
      if (Files.isDirectory(dest)) {
        throw new UserException("cannot write " + target + ": it is a directory, not a file");
      }
      boolean inPlace = abs.startsWith("/dev/") || abs.startsWith("/proc/")
          || (Files.exists(dest) && !Files.isRegularFile(dest));
      if (inPlace) {
        // open the path as given: the kernel resolves /dev/fd and /proc links that readlink cannot
        OutputStream out = Files.newOutputStream(abs, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        return new Output(target, null, null, new BufferedOutputStream(out, 1 << 16));
      }
      Path tmp = dest.resolveSibling("." + dest.getFileName() + ".tmp");
      if (dest.getParent() != null) Files.createDirectories(dest.getParent());
      return new Output(target, tmp, dest,
          new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16));
    } catch (IOException e) {
      throw cannotWrite(target, e);
    }
  }

  /** The path a chain of symbolic links ends at (the last one may dangle: it is then created). */
  private static Path followLinks(Path abs, Path target) throws IOException {
    Path p = abs;
    for (int hops = 0; Files.isSymbolicLink(p); hops++) {
      if (hops == 40) throw new UserException("cannot write " + target + ": too many symbolic links");
      Path link = Files.readSymbolicLink(p);
      p = p.getParent() == null ? link : p.getParent().resolve(link);
    }
    return p;
  }

  /** An output being written by {@link #open}. */
  public static final class Output implements AutoCloseable {
    private final Path target;
    private final Path tmp;
    private final Path dest;
    private final OutputStream out;
    private boolean done;

    private Output(Path target, Path tmp, Path dest, OutputStream out) {
      this.target = target;
      this.tmp = tmp;
      this.dest = dest;
      this.out = out;
    }

    public OutputStream stream() { return out; }

    /** Flushes, closes and (for a regular file) renames the temporary file over the target. */
    public void commit() {
      if (done) throw new IllegalStateException(target + " is already closed");
      done = true;
      try {
        out.close();
        if (tmp != null) move(tmp, dest);
      } catch (IOException e) {
        if (tmp != null) deleteQuietly(tmp);
        throw cannotWrite(target, e);
      }
    }

    /** Without a prior commit, abandons the output (a temporary file is deleted). */
    @Override
    public void close() {
      if (done) return;
      done = true;
      try {
        out.close();
      } catch (IOException ignored) {
        // abandoning anyway
      }
      if (tmp != null) deleteQuietly(tmp);
    }
  }

  /** Standard output must stay open for what the command prints after the file. */
  private static final class KeepOpen extends FilterOutputStream {
    KeepOpen(PrintStream out) { super(out); }

    @Override
    public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }

    @Override
    public void close() throws IOException { out.flush(); }
  }

  /**
   * Checks, without creating anything, that a file or folder could be created at path: the nearest
   * existing ancestor must be a writable folder. An existing path is accepted as it is (callers
   * check what it must be).
   *
   * @throws UserException naming path and the reason (a file in the way, permission denied)
   */
  public static void checkCanCreate(Path path) {
    if (isStandardOutput(path)) return;
    Path p = path.toAbsolutePath();
    if (Files.exists(p)) return;
    Path ancestor = p.getParent();
    while (ancestor != null && !Files.exists(ancestor)) ancestor = ancestor.getParent();
    if (ancestor == null) return;
    if (!Files.isDirectory(ancestor)) {
      throw new UserException("cannot create " + path + ": " + ancestor + " is a file, not a folder");
    }
    if (!Files.isWritable(ancestor)) {
      throw new UserException("cannot create " + path + ": permission denied in " + ancestor);
    }
  }

  /** "cannot write X: reason", the reason in words (an IOException's message is often just a path). */
  public static UncheckedIOException cannotWrite(Path target, IOException e) {
    return new UncheckedIOException("cannot write " + target + ": " + reason(e), e);
  }

  /** Why an I/O operation failed, in words and without Java class names. */
  public static String reason(IOException e) {
    String where = e instanceof FileSystemException f && f.getFile() != null ? " (" + f.getFile() + ")" : "";
    if (e instanceof AccessDeniedException) return "permission denied" + where;
    if (e instanceof NoSuchFileException) return "no such file or folder" + where;
    if (e instanceof NotDirectoryException) return "not a folder" + where;
    if (e instanceof FileAlreadyExistsException) return "already exists" + where;
    if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason() + where;
    return e.getMessage() == null ? "input/output error" : e.getMessage();
  }

  /**
   * Fills a temporary sibling folder, then renames it to target (replacing an existing one), so
   * readers see either the old folder or the complete new one.
   */
  public static void writeFolder(Path target, IoConsumer<Path> body) {
    Path abs = target.toAbsolutePath();
    Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
    try {
      deleteRecursively(tmp);
      Files.createDirectories(tmp);
      body.accept(tmp);
      if (Files.exists(abs)) {
        Path old = abs.resolveSibling("." + abs.getFileName() + ".old");
        deleteRecursively(old);
        move(abs, old);
        move(tmp, abs);
        deleteRecursively(old);
      } else {
        move(tmp, abs);
      }
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw cannotWrite(target, e);
    } catch (RuntimeException e) {
      deleteQuietly(tmp);
      throw e;
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  public static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.delete(q);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      deleteRecursively(p);
    } catch (IOException ignored) {
      // best effort: the original error matters more
    }
  }
}
